namespace RevOps.Domain.Tenancy;

/// <summary>A stored API key: only the SHA-256 of the secret is kept.</summary>
public sealed record ApiKey(
    string Id,
    TenantId Tenant,
    string Hash,
    string Prefix,
    Scopes Scopes,
    DateTime CreatedAt,
    DateTime? ExpiresAt,
    DateTime? RevokedAt,
    DateTime? LastUsedAt)
{
    /// <summary>The user the key acts as (null only for a key read from a database before users existed, never after its migration).</summary>
    public string? UserId { get; init; }

    /// <summary>The user's name when the key was read, for the change log.</summary>
    public string? UserName { get; init; }

    /// <summary>Whether the key's user is active: a deactivated user's keys stop working.</summary>
    public bool UserActive { get; init; } = true;

    public bool IsActive(DateTime now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now) && UserActive;
}
