namespace RevOps.Domain.Audit;

/// <summary>
/// One administrative change (a tenant, key or schema change) as the audit log keeps it.
/// <see cref="Seq"/> is 0 until stored; the store numbers each tenant's entries 1, 2, 3, ….
/// </summary>
/// <param name="ActorId">Who did it: the caller's User Id (005…, whether it came with a key or a token), "operator" (admin token) or "cli".</param>
/// <param name="Channel">How it arrived: mcp, rest, api, admin, cli.</param>
/// <param name="Action">What was done, e.g. key.create (see <see cref="AuditActions"/>).</param>
/// <param name="Target">What it was done to: a key id, tenant id or Object.Field__c.</param>
/// <param name="Details">A JSON object with the change's particulars; never key material.</param>
/// <param name="RequestId">The HTTP request id (X-Request-ID), when the change came over HTTP.</param>
public sealed record AuditEntry(
    Tenancy.TenantId Tenant,
    long Seq,
    DateTime At,
    string ActorId,
    string Channel,
    string Action,
    string Target,
    string Details,
    string? RequestId)
{
    /// <summary>The API key the change came with (null for tokens, the operator and the CLI): who acted is the user, how is the key.</summary>
    public string? KeyId { get; init; }
}
