using System.Security.Cryptography;
using System.Text;

namespace RevOps.Server.Webhooks;

/// <summary>
/// X-RevOps-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "&lt;t&gt;.&lt;body&gt;")&gt;. The timestamp
/// is inside the signed text, so a receiver that rejects old timestamps also rejects replays.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-RevOps-Signature";

    public static string Create(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        string prefix = unixSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".";
        int prefixLength = Encoding.UTF8.GetByteCount(prefix);
        byte[] signed = System.Buffers.ArrayPool<byte>.Shared.Rent(prefixLength + body.Length);
        try
        {
            Encoding.UTF8.GetBytes(prefix, signed);
            body.CopyTo(signed.AsSpan(prefixLength));
            Span<byte> mac = stackalloc byte[32];
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed.AsSpan(0, prefixLength + body.Length), mac);
            return $"t={prefix[..^1]},v1={Convert.ToHexStringLower(mac)}";
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(signed);
        }
    }

    /// <summary>Checks a header against the body in constant time; what a receiver does (see docs/webhooks.md).</summary>
    public static bool Verify(string secret, string? header, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (header is null) return false;
        long? t = null;
        string? v1 = null;
        foreach (var part in header.Split(','))
        {
            if (part.StartsWith("t=", StringComparison.Ordinal) && long.TryParse(part.AsSpan(2), out long parsed)) t = parsed;
            else if (part.StartsWith("v1=", StringComparison.Ordinal)) v1 = part[3..];
        }
        if (t is null || v1 is null) return false;
        if (Math.Abs(now.ToUnixTimeSeconds() - t.Value) > tolerance.TotalSeconds) return false;
        string expected = Create(secret, t.Value, body);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected[(expected.IndexOf(",v1=", StringComparison.Ordinal) + 4)..]), Encoding.ASCII.GetBytes(v1));
    }
}
