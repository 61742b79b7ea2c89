using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Writes;

/// <summary>What a bulk write did: one result per item in order, and whether it stopped early when cancelled.</summary>
/// <param name="Results">Per item; null for items never attempted because the call was cancelled.</param>
public sealed record BulkOutcome(IReadOnlyList<BatchItemResult?> Results, bool Cancelled)
{
    public int Succeeded => Results.Count(r => r is { Success: true, Skipped: false });
    public int Skipped => Results.Count(r => r is { Skipped: true });
    public int Failed => Results.Count(r => r is { Success: false });
    public int NotAttempted => Results.Count(r => r is null);
}

/// <summary>
/// Thousands of creates, updates or deletes in one call. All-or-none commits them in one
/// transaction. Otherwise they go in chunks, each first tried as one transaction (one fsync for
/// the chunk) and, only when an item of it fails, again item by item so the valid ones still land;
/// progress is reported after each chunk, and cancellation stops between chunks, so a chunk is
/// either written and reported or not started.
/// </summary>
public sealed class BulkWrite(RecordBatch batch)
{
    public const int MaxItems = 10_000;
    public const int ChunkSize = RecordBatch.MaxItems;

    /// <summary>The batch writer behind, for callers that commit chunks themselves (imports, with their progress).</summary>
    public RecordBatch Batch => batch;

    public async Task<BulkOutcome> ApplyAsync(Caller caller, IReadOnlyList<BatchItem> items, bool allOrNone,
        Func<int, ValueTask> progress, CancellationToken cancellation, WriteOptions? duplicates = null)
    {
        if (allOrNone)
        {
            cancellation.ThrowIfCancellationRequested();
            // Once the transaction starts it runs to the end: an answer after commit must say what was written.
            var all = await batch.ApplyAsync(caller, items, allOrNone: true, CancellationToken.None, duplicates);
            await progress(items.Count);
            return new BulkOutcome(all, Cancelled: false);
        }

        var results = new BatchItemResult?[items.Count];
        for (int start = 0; start < items.Count; start += ChunkSize)
        {
            if (cancellation.IsCancellationRequested) return new BulkOutcome(results, Cancelled: true);
            var chunk = items.Skip(start).Take(ChunkSize).ToArray();
            var written = await batch.ApplyAsync(caller, chunk, allOrNone: true, CancellationToken.None, duplicates);
            if (written.Any(r => !r.Success)) written = await batch.ApplyAsync(caller, chunk, allOrNone: false, CancellationToken.None, duplicates);
            for (int i = 0; i < chunk.Length; i++) results[start + i] = written[i];
            await progress(start + chunk.Length);
        }
        return new BulkOutcome(results, Cancelled: false);
    }
}
