namespace RevOps.Domain.Files;

/// <summary>How large one file may be and how many bytes of files one tenant may keep.</summary>
public sealed record FileLimits(long MaxFileBytes, long TenantQuotaBytes)
{
    /// <summary>Salesforce's limit for a file sent in multipart: 2 GB.</summary>
    public const long MultipartMaxBytes = 2L * 1024 * 1024 * 1024;

    /// <summary>Salesforce's limit for VersionData sent as base64 inside JSON: 37.5 MB of base64 text.</summary>
    public const long Base64MaxChars = 37_500_000;

    public static FileLimits Default { get; } = new(MultipartMaxBytes, 10L * 1024 * 1024 * 1024);
}
