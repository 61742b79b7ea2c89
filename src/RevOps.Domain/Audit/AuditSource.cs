using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Audit;

/// <summary>Who asks for an administrative change, and over which request, for the audit row it writes.</summary>
public sealed record AuditSource(string ActorId, string Channel, string? RequestId)
{
    /// <summary>The name the change log shows for the actor (a user's name; the operator and the CLI by role).</summary>
    public string? ActorName { get; init; }

    /// <summary>The acting user (a tenant's admin), or null for the operator and the CLI.</summary>
    public bool IsUser { get; init; }

    /// <summary>The API key the acting user called with, for the change log and the audit row; null for the operator, the CLI and tokens.</summary>
    public string? KeyId { get; init; }

    /// <summary>The operator, holding the server's admin token.</summary>
    public static AuditSource Operator(string? requestId) => new("operator", "admin", requestId) { ActorName = "Operator" };

    /// <summary>Someone at the machine running `revops` against the database file.</summary>
    public static AuditSource Cli { get; } = new("cli", "cli", null) { ActorName = "revops CLI" };

    public static AuditSource Of(Caller caller) => new(caller.ActorId, caller.Channel, caller.RequestId) { ActorName = caller.ActorName, IsUser = true, KeyId = caller.KeyId };

    public AuditEntry Entry(TenantId tenant, DateTime at, string action, string target, string details) =>
        new(tenant, 0, at, ActorId, Channel, action, target, details, RequestId) { KeyId = KeyId };
}
