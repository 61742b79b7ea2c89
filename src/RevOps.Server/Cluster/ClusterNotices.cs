using System.Globalization;
using RevOps.Domain.Schema;
using RevOps.Domain.Tenancy;
using RevOps.Storage;

namespace RevOps.Server.Cluster;

/// <summary>
/// Tells the other nodes what a write on this one made stale in theirs: a revoked API key (dropped
/// from their key caches at once instead of within a second), a tenant's changed schema (instead of
/// within five seconds), and a tenant's new changes (their change streams and webhook dispatchers
/// wake at once instead of at their next poll). The link is Redis pub/sub with --redis, else
/// PostgreSQL's LISTEN/NOTIFY when the nodes share a PostgreSQL database; SQLite has one server per
/// file and no link. Every record read goes to the shared database, so no notice is needed for a
/// record to be read back on another node. A notice lost while the link is down costs only that wait.
/// </summary>
public sealed partial class ClusterNotices(INodeNoticeLink link, TenantService tenants, SchemaService schemas, StorageBackend storage, ILogger<ClusterNotices> logger) : IHostedService
{
    // Each process's own notices come back to it; the origin lets it skip them.
    readonly string _origin = Guid.NewGuid().ToString("N");
    readonly CancellationTokenSource _stopping = new();

    const string KeyRevoked = "key";
    const string SchemaChanged = "schema";
    const string ChangesCommitted = "changes";

    /// <summary>Whether notices from other nodes reach this one now (the revops_notices_listening gauge).</summary>
    public bool IsListening => link.IsListening;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        tenants.KeyRevoked += OnKeyRevoked;
        schemas.Changed += OnSchemaChanged;
        storage.ChangesCommitted += OnChangesCommitted;
        RevOps.Domain.Telemetry.RevOpsMeters.Meter.CreateObservableGauge("revops.notices.listening", () => link.IsListening ? 1 : 0, "{link}",
            "1 while other nodes' notices (commits, key revocations, schema changes) reach this node through Redis or PostgreSQL; 0 while they are seen only at the next poll or cache expiry.");
        link.Listen(Receive, OnLinkChanged, _stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        tenants.KeyRevoked -= OnKeyRevoked;
        schemas.Changed -= OnSchemaChanged;
        storage.ChangesCommitted -= OnChangesCommitted;
        await _stopping.CancelAsync();
    }

    void OnKeyRevoked(string hash) => Publish(KeyRevoked, hash, null);

    void OnSchemaChanged(TenantId tenant) => Publish(SchemaChanged, tenant.ToString(), null);

    void OnChangesCommitted(TenantId tenant, long latestSeq) => Publish(ChangesCommitted, tenant.ToString(), latestSeq.ToString(CultureInfo.InvariantCulture));

    void Publish(string kind, string subject, string? detail) =>
        link.Publish(detail is null ? $"{_origin}|{kind}|{subject}" : $"{_origin}|{kind}|{subject}|{detail}");

    void Receive(string message)
    {
        var parts = message.Split('|');
        if (parts.Length < 3 || parts[0] == _origin) return;
        switch (parts[1])
        {
            case KeyRevoked:
                tenants.ForgetKey(parts[2]);
                break;
            case SchemaChanged when TenantId.TryParse(parts[2], out var tenant):
                schemas.Forget(tenant);
                break;
            case ChangesCommitted when parts.Length == 4 && TenantId.TryParse(parts[2], out var tenant)
                                       && long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out long seq):
                storage.WakeForCommitElsewhere(tenant, seq);
                break;
            default:
                LogUnknown(parts[1]);
                break;
        }
    }

    void OnLinkChanged(Exception? lost)
    {
        if (lost is null) LogListening(link.Kind);
        else LogLost(link.Kind, lost.Message);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored a cluster notice of kind '{Kind}' (from a newer or older version?)")]
    partial void LogUnknown(string kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for the other nodes' notices through {Kind}: their commits, key revocations and schema changes reach this node at once")]
    partial void LogListening(string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notices through {Kind} are lost ({Reason}); serving on: other nodes' commits are seen at the next poll and their key revocations and schema changes when cache entries expire (1-5 s), until the link is back")]
    partial void LogLost(string kind, string reason);
}
