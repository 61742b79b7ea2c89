using RevOps.Domain.Records;
using RevOps.Domain.Tenancy;

namespace RevOps.Cli.DemoData;

/// <summary>
/// Collects validated writes and commits them through the record store thousands at a time (one
/// transaction, one fsync each, change-log rows and search index included). One batch commits while
/// the next is being prepared, so generating and writing overlap.
/// </summary>
internal sealed class BatchCommitter(IRecordStore store, TenantId tenant, int batchSize)
{
    List<RecordWrite> _batch = new(batchSize);
    Task? _inFlight;

    public long Committed { get; private set; }

    public async ValueTask AddAsync(RecordWrite write, CancellationToken ct)
    {
        _batch.Add(write);
        if (_batch.Count >= batchSize) await FlushAsync(ct);
    }

    /// <summary>Waits for the batch in flight, then sends the one collected so far.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        if (_inFlight is not null) await _inFlight;
        _inFlight = null;
        if (_batch.Count == 0) return;
        var writes = _batch;
        _batch = new List<RecordWrite>(batchSize);
        _inFlight = CommitAsync(writes, ct);
    }

    /// <summary>Everything added so far is committed when this completes.</summary>
    public async Task DrainAsync(CancellationToken ct)
    {
        await FlushAsync(ct);
        if (_inFlight is not null) await _inFlight;
        _inFlight = null;
    }

    async Task CommitAsync(List<RecordWrite> writes, CancellationToken ct)
    {
        var result = await store.CommitAsync(tenant, writes, null, ct);
        // New records with fresh Ids and no unique custom fields cannot conflict: a failure here is a generator bug.
        if (!result.Committed) throw new InvalidOperationException($"A batch of {writes.Count} generated records was refused: {result.Failure} {result.Field}.");
        Committed += writes.Count;
    }
}
