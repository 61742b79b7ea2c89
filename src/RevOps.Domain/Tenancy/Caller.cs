namespace RevOps.Domain.Tenancy;

/// <summary>Who is calling, as authentication established it.</summary>
/// <param name="ActorId">The API key id (or token subject) written to CreatedById and the change log.</param>
/// <param name="Channel">How the call arrived: mcp, rest, cli.</param>
public sealed record Caller(TenantId Tenant, string ActorId, Scopes Scopes, string Channel)
{
    /// <summary>The request this call belongs to (HTTP X-Request-Id or trace id, or one generated per stdio call), written to each change-log and audit row.</summary>
    public string? RequestId { get; init; }

    public bool CanWrite => Scopes.HasFlag(Scopes.Write);

    public bool IsAdmin => Scopes.HasFlag(Scopes.Admin);
}
