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
    public bool IsActive(DateTime now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}
