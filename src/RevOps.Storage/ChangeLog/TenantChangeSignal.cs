using System.Collections.Concurrent;
using RevOps.Domain.Tenancy;

namespace RevOps.Storage.ChangeLog;

/// <summary>
/// Wakes the followers of a tenant's change feed when this process commits a change for it, so a
/// live stream sends changes promptly without polling the database in a tight loop. It only knows
/// this process's commits: followers also re-read after a timeout to see other nodes' writes.
/// </summary>
internal sealed class TenantChangeSignal
{
    readonly ConcurrentDictionary<TenantId, TenantSignal> _tenants = new();

    /// <summary>Called after the commit that wrote changes up to <paramref name="latestSeq"/> is durable.</summary>
    /// <remarks>Kept for every tenant that writes (a few dozen bytes each), so a follower that read the log just before this commit still sees it.</remarks>
    public void Raise(TenantId tenant, long latestSeq)
    {
        Wake(tenant, latestSeq);
        Committed?.Invoke(tenant, latestSeq);
    }

    /// <summary>Raised by <see cref="Raise"/> only: this process's commits, for the nodes that share the database.</summary>
    public event Action<TenantId, long>? Committed;

    /// <summary>Wakes the followers without raising <see cref="Committed"/>: for another node's commit, so a notice never echoes back.</summary>
    public void Wake(TenantId tenant, long latestSeq) => _tenants.GetOrAdd(tenant, _ => new TenantSignal()).Raise(latestSeq);

    /// <summary>Completes when a change after <paramref name="afterSeq"/> commits here, or when <paramref name="maxWait"/> passes.</summary>
    public async Task WaitAsync(TenantId tenant, long afterSeq, TimeSpan maxWait, CancellationToken ct)
    {
        var signal = _tenants.GetOrAdd(tenant, _ => new TenantSignal());
        var next = signal.Next(afterSeq);
        if (next.IsCompleted) return;
        try
        {
            await next.WaitAsync(maxWait, ct);
        }
        catch (TimeoutException)
        {
            // The caller reads the log either way; a timeout only means nothing was committed here.
        }
    }

    sealed class TenantSignal
    {
        readonly Lock _gate = new();
        TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
        long _latest;

        public Task Next(long afterSeq)
        {
            lock (_gate) return _latest > afterSeq ? Task.CompletedTask : _next.Task;
        }

        public void Raise(long latestSeq)
        {
            TaskCompletionSource fired;
            lock (_gate)
            {
                if (latestSeq > _latest) _latest = latestSeq;
                fired = _next;
                _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            fired.TrySetResult();
        }
    }
}
