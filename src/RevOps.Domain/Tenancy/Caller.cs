namespace RevOps.Domain.Tenancy;

/// <summary>Who is calling, as authentication established it.</summary>
/// <param name="ActorId">The caller's User Id (005…), written to CreatedById, LastModifiedById, new records' OwnerId and the change log.</param>
/// <param name="Channel">How the call arrived: mcp, rest, cli.</param>
public sealed record Caller(TenantId Tenant, string ActorId, Scopes Scopes, string Channel)
{
    /// <summary>The user's name, kept in the change log beside the Id ("what did Tom change").</summary>
    public string? ActorName { get; init; }

    /// <summary>The API key the call came with (null for tokens, the CLI and stdio).</summary>
    public string? KeyId { get; init; }

    /// <summary>The request this call belongs to (HTTP X-Request-Id or trace id, or one generated per stdio call), written to each change-log and audit row.</summary>
    public string? RequestId { get; init; }

    public bool CanWrite => Scopes.HasFlag(Scopes.Write);

    public bool IsAdmin => Scopes.HasFlag(Scopes.Admin);
}
