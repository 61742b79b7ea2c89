using System.Security.Cryptography;
using System.Text;
using ModelContextProtocol;

namespace RevOps.Conformance.Fixtures;

/// <summary>
/// The request state the multi round-trip fixtures hand the client (2026-07-28, SEP-2322): what the
/// fixture needs on the retry, signed with an HMAC key of this process so a client cannot alter it.
/// A stateless server keeps nothing between the rounds; the signature is what makes that safe.
/// </summary>
public static class FixtureRequestState
{
    static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    public static string Sign(string payload)
    {
        byte[] data = Encoding.UTF8.GetBytes(payload);
        return $"{Base64Url(data)}.{Base64Url(HMACSHA256.HashData(Key, data))}";
    }

    /// <summary>The payload of a state this process signed; null when the request carries none; invalid params when it was altered.</summary>
    public static string? Read(string? state)
    {
        if (state is null) return null;
        int dot = state.IndexOf('.');
        if (dot > 0 && TryDecode(state[..dot], out byte[]? data) && TryDecode(state[(dot + 1)..], out byte[]? signature)
            && CryptographicOperations.FixedTimeEquals(signature, HMACSHA256.HashData(Key, data)))
            return Encoding.UTF8.GetString(data);
        throw new McpProtocolException("requestState failed its integrity check: send back the requestState of the last input-required result unchanged, or call again without one.", McpErrorCode.InvalidParams);
    }

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    static bool TryDecode(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? bytes)
    {
        string padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - padded.Length % 4) % 4);
        bytes = new byte[padded.Length];
        if (Convert.TryFromBase64String(padded, bytes, out int written))
        {
            bytes = bytes[..written];
            return true;
        }
        bytes = null;
        return false;
    }
}
