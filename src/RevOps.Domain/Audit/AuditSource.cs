using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Audit;

/// <summary>Who asks for an administrative change, and over which request, for the audit row it writes.</summary>
public sealed record AuditSource(string ActorId, string Channel, string? RequestId)
{
    /// <summary>The operator, holding the server's admin token.</summary>
    public static AuditSource Operator(string? requestId) => new("operator", "admin", requestId);

    /// <summary>Someone at the machine running `revops` against the database file.</summary>
    public static AuditSource Cli { get; } = new("cli", "cli", null);

    public static AuditSource Of(Caller caller) => new(caller.ActorId, caller.Channel, caller.RequestId);

    public AuditEntry Entry(TenantId tenant, DateTime at, string action, string target, string details) =>
        new(tenant, 0, at, ActorId, Channel, action, target, details, RequestId);
}
