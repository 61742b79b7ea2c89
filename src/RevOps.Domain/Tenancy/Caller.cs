namespace RevOps.Domain.Tenancy;

/// <summary>Who is calling, as authentication established it.</summary>
/// <param name="ActorId">The API key id (or token subject) written to CreatedById and the change log.</param>
/// <param name="Channel">How the call arrived: mcp, rest, cli.</param>
public sealed record Caller(TenantId Tenant, string ActorId, Scopes Scopes, string Channel)
{
    public bool CanWrite => Scopes.HasFlag(Scopes.Write);

    public bool IsAdmin => Scopes.HasFlag(Scopes.Admin);

    /// <summary>The HTTP request id (X-Request-ID) the call arrived with, for the audit log; null off HTTP.</summary>
    public string? RequestId { get; init; }
}
