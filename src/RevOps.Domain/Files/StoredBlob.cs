namespace RevOps.Domain.Files;

/// <summary>Bytes durably stored: their SHA-256 (lower-case hex, the blob's name), length, and MD5 (lower-case hex, Salesforce's Checksum).</summary>
public sealed record StoredBlob(string Sha256, long Size, string Md5)
{
    /// <summary>Whether <paramref name="text"/> can name a blob: 64 lower-case hex digits, nothing else (no path can hide in it).</summary>
    public static bool IsHash(string? text) =>
        text is { Length: 64 } && text.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
