using RevOps.Domain.Duplicates;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Schema;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Writes;

public enum BatchOperation
{
    Create,
    Update,
    Delete,
}

/// <summary>One write of a batch: a create (no Id), an update or a delete.</summary>
public sealed record BatchItem(BatchOperation Operation, ObjectMetadata Object, string? Id, RecordInput Input);

/// <summary>One item's outcome: the record's Id, or the error that stopped it.</summary>
public sealed record BatchItemResult(string? Id, CrmError? Error)
{
    public bool Success => Error is null;

    /// <summary>on_duplicate: skip left this new record unwritten (no Id, no error) because of <see cref="PossibleDuplicates"/>.</summary>
    public bool Skipped { get; init; }

    /// <summary>Records this new one may duplicate (written anyway, skipped, or refused: see the error).</summary>
    public IReadOnlyList<DuplicateMatch> PossibleDuplicates { get; init; } = [];
}

/// <summary>
/// Several creates, updates and deletes as Salesforce's collections and composite requests send
/// them. With all-or-none, every item is validated first and all are committed in one transaction,
/// or none is: the failing items carry their error and the others ALL_OR_NONE_OPERATION_ROLLED_BACK.
/// Otherwise each item commits or fails on its own. New Accounts, Contacts and Leads are checked for
/// duplicates per <see cref="WriteOptions.OnDuplicate"/> all at once (one look-up per kind of key for the batch,
/// earlier items of the batch counting as existing): a blocked one fails, a skipped one is left out.
/// </summary>
public sealed class RecordBatch(RecordService records, RecycleBin bin, SchemaService schemas, IRecordStore store)
{
    public const int MaxItems = 200;
    const int MaxAttempts = 3;

    public static readonly CrmError RolledBack = new(ErrorCodes.AllOrNoneRolledBack,
        "Record rolled back because not all records were valid and the request was using AllOrNone header");

    /// <summary>An import's batch whose job another run of the same import moved on: nothing of it was written.</summary>
    public static readonly CrmError ImportMoved = new(ErrorCodes.Conflict,
        "Another run of this import committed these rows first: two runs of one import were going at once. Let the other finish, or stop it and run the import again.");

    public async Task<IReadOnlyList<BatchItemResult>> ApplyAsync(Caller caller, IReadOnlyList<BatchItem> items, bool allOrNone, CancellationToken ct,
        WriteOptions? duplicates = null)
    {
        duplicates ??= WriteOptions.Default;
        if (!caller.CanWrite) return await ApplyAsync(caller, items.Count, (i, _) => items[i], allOrNone, ct, duplicates);
        if (allOrNone) return await ApplyAsync(caller, items.Count, (i, _) => items[i], allOrNone, ct, duplicates, await BatchReferences.FindLiveAsync(store, caller.Tenant, items, ct));
        // Each item commits on its own, but the new records' duplicates are looked up together first.
        var findings = await FindDuplicatesAsync(caller, items, duplicates, ct);
        var results = new List<BatchItemResult>(items.Count);
        for (int i = 0; i < items.Count; i++)
        {
            var finding = findings?[i];
            results.Add(finding?.Verdict switch
            {
                DuplicateVerdict.Block => new BatchItemResult(null, finding.Error(items[i].Object.Name)) { PossibleDuplicates = finding.Matches },
                DuplicateVerdict.Skip => new BatchItemResult(null, null) { Skipped = true, PossibleDuplicates = finding.Matches },
                _ => await ApplyOneAsync(caller, items[i], ct, finding is null ? duplicates : duplicates with { CheckedDuplicates = finding.Matches }),
            });
        }
        return results;
    }

    /// <summary>The duplicate findings of the batch's creates, by item (null where the item is no checked create or is invalid); null when nothing is checked.</summary>
    async Task<DuplicateFinding?[]?> FindDuplicatesAsync(Caller caller, IReadOnlyList<BatchItem> items, WriteOptions options, CancellationToken ct)
    {
        var creates = items.Where(i => i.Operation == BatchOperation.Create).Select(i => i.Object);
        if (!await records.ChecksDuplicatesAsync(caller, creates, options, ct)) return null;
        var prepared = new List<(int Index, Record Record)>();
        for (int i = 0; i < items.Count; i++)
        {
            if (items[i].Operation != BatchOperation.Create || !DuplicateRule.Checks(items[i].Object)) continue;
            var insert = await records.PrepareInsertAsync(caller, items[i].Object, items[i].Input, ct);
            if (insert.IsOk) prepared.Add((i, insert.Value.Record));
        }
        var found = await records.CheckDuplicatesAsync(caller, prepared.Select(p => p.Record).ToArray(), options, ct);
        var byItem = new DuplicateFinding?[items.Count];
        for (int k = 0; k < prepared.Count; k++) byItem[prepared[k].Index] = found[k];
        return byItem;
    }

    /// <summary>
    /// Items built one at a time from the results so far, so a later item can use the Id of a record
    /// an earlier one creates (composite requests' @{ref.id}); an item that cannot be built is an error.
    /// </summary>
    /// <param name="live">Referenced Ids already found live (<see cref="BatchReferences"/>), not looked up again per item.</param>
    public async Task<IReadOnlyList<BatchItemResult>> ApplyAsync(Caller caller, int count, Func<int, IReadOnlyList<BatchItemResult>, CrmResult<BatchItem>> itemAt,
        bool allOrNone, CancellationToken ct, WriteOptions? duplicates = null, IReadOnlySet<string>? live = null)
    {
        duplicates ??= WriteOptions.Default;
        if (!allOrNone)
        {
            var results = new List<BatchItemResult>(count);
            for (int i = 0; i < count; i++)
            {
                var item = itemAt(i, results);
                results.Add(item.IsOk ? await ApplyOneAsync(caller, item.Value, ct, duplicates) : new BatchItemResult(null, item.Error));
            }
            return results;
        }
        for (int attempt = 0; ; attempt++)
        {
            var (writes, prepared, items) = await PrepareAllAsync(caller, count, itemAt, ct, live);
            if (prepared.All(r => r.Success)) await ApplyDuplicatesAsync(caller, writes, prepared, items, duplicates, ct);
            if (prepared.Any(r => !r.Success)) return prepared.Select(r => r.Success ? new BatchItemResult(null, RolledBack) { PossibleDuplicates = r.PossibleDuplicates } : r).ToArray();
            var result = await store.CommitAsync(caller.Tenant, writes.SelectMany(w => w).ToArray(), null, ct, duplicates.Mark?.Invoke(prepared));
            if (result.Committed) return prepared;
            if (result.Failure == CommitFailure.ImportMoved) return prepared.Select(r => new BatchItemResult(null, ImportMoved)).ToArray();
            if (result.Failure == CommitFailure.DuplicateValue)
            {
                int failing = writes.FindIndex(w => w.Any(x => x.UniqueFields.Any(f => f.Name == result.Field)));
                return prepared.Select((r, i) => i == failing
                    ? new BatchItemResult(null, RecordService.DuplicateValue(items[i]!.Object, result))
                    : new BatchItemResult(null, RolledBack)).ToArray();
            }
            if (attempt == MaxAttempts - 1)
                return prepared.Select(r => new BatchItemResult(r.Id, new CrmError(ErrorCodes.Conflict, "Records of this request are being changed by others right now. Retry the request."))).ToArray();
        }
    }

    /// <summary>
    /// The all-or-none batch's new records checked for duplicates together: a blocked one fails (so all roll back),
    /// a skipped one is left out of the writes, the others list what they may duplicate.
    /// </summary>
    async Task ApplyDuplicatesAsync(Caller caller, List<List<RecordWrite>> writes, BatchItemResult[] results, BatchItem?[] items, WriteOptions options, CancellationToken ct)
    {
        var creates = Enumerable.Range(0, items.Length).Where(i => items[i] is { Operation: BatchOperation.Create } && writes[i].Count == 1).ToArray();
        if (!await records.ChecksDuplicatesAsync(caller, creates.Select(i => items[i]!.Object), options, ct)) return;
        var found = await records.CheckDuplicatesAsync(caller, creates.Select(i => writes[i][0].Record).ToArray(), options, ct);
        for (int k = 0; k < creates.Length; k++)
        {
            int i = creates[k];
            var finding = found[k];
            if (finding.Matches.Count == 0) continue;
            results[i] = finding.Verdict switch
            {
                DuplicateVerdict.Block => new BatchItemResult(null, finding.Error(items[i]!.Object.Name)) { PossibleDuplicates = finding.Matches },
                DuplicateVerdict.Skip => new BatchItemResult(null, null) { Skipped = true, PossibleDuplicates = finding.Matches },
                _ => results[i] with { PossibleDuplicates = finding.Matches },
            };
            if (finding.Verdict == DuplicateVerdict.Skip) writes[i].Clear();
        }
    }

    async Task<BatchItemResult> ApplyOneAsync(Caller caller, BatchItem item, CancellationToken ct, WriteOptions duplicates)
    {
        switch (item.Operation)
        {
            case BatchOperation.Create:
                var created = await records.CreateAsync(caller, item.Object, item.Input, duplicates, ct);
                if (!created.IsOk) return new(null, created.Error) { PossibleDuplicates = created.Error.Duplicates ?? [] };
                return created.Value.Skipped
                    ? new(null, null) { Skipped = true, PossibleDuplicates = created.Value.PossibleDuplicates }
                    : new(created.Value.Record.Id, null) { PossibleDuplicates = created.Value.PossibleDuplicates };
            case BatchOperation.Update:
                var updated = await records.UpdateAsync(caller, item.Object, item.Id, item.Input, WriteOptions.Default, ct);
                return updated.IsOk ? new(updated.Value.Record.Id, null) : new(item.Id, updated.Error);
            default:
                var deleted = await bin.DeleteAsync(caller, item.Object, item.Id, dryRun: false, ct);
                return deleted.IsOk ? new(deleted.Value.Record.Id, null) : new(item.Id, deleted.Error);
        }
    }

    /// <summary>Validates every item against the store as it is, counting records created earlier in the batch as existing.</summary>
    async Task<(List<List<RecordWrite>> Writes, BatchItemResult[] Results, BatchItem?[] Items)> PrepareAllAsync(Caller caller, int count,
        Func<int, IReadOnlyList<BatchItemResult>, CrmResult<BatchItem>> itemAt, CancellationToken ct, IReadOnlySet<string>? live)
    {
        var writes = new List<List<RecordWrite>>(count);
        var results = new BatchItemResult[count];
        var items = new BatchItem?[count];
        var pending = new HashSet<string>(StringComparer.Ordinal);
        // Records created earlier in this batch, as their insert leaves them (row version 1): later items may update or delete them.
        var created = new Dictionary<string, Record>(StringComparer.Ordinal);
        var touched = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            // A view of the results so far, not a copy: a copy per item made a batch quadratic in its size.
            var built = itemAt(i, new ArraySegment<BatchItemResult>(results, 0, i));
            if (!built.IsOk)
            {
                results[i] = new(null, built.Error);
                writes.Add([]);
                continue;
            }
            var item = items[i] = built.Value;
            if (!caller.CanWrite)
            {
                results[i] = new(item.Id, RecordService.ReadOnlyKey(item.Object));
                writes.Add([]);
                continue;
            }
            if (item.Id is { } id && !touched.Add(id))
            {
                results[i] = new(id, new CrmError(ErrorCodes.InvalidArgument, $"Record {id} appears more than once in this request. Send each record once.", "id"));
                writes.Add([]);
                continue;
            }
            switch (item.Operation)
            {
                case BatchOperation.Create:
                    var insert = await WithBatchAccountAsync(caller, await records.PrepareInsertAsync(caller, item.Object, item.Input, ct, pending, live: live), created, ct);
                    results[i] = insert.IsOk ? new(insert.Value.Record.Id, null) : new(null, insert.Error);
                    writes.Add(insert.IsOk ? [insert.Value] : []);
                    if (insert.IsOk)
                    {
                        pending.Add(insert.Value.Record.Id);
                        created[insert.Value.Record.Id] = AsInserted(insert.Value.Record);
                    }
                    break;
                case BatchOperation.Update:
                    var parsed = RecordService.ParseOwnId(item.Object, item.Id);
                    if (!parsed.IsOk)
                    {
                        results[i] = new(item.Id, parsed.Error);
                        writes.Add([]);
                        break;
                    }
                    var schema = await schemas.GetForWriteAsync(caller.Tenant, item.Object, item.Input.Fields.Select(f => f.Key), ct);
                    var update = await records.PrepareUpdateAsync(caller, schema, parsed.Value, item.Input, ct, pending, created.GetValueOrDefault(parsed.Value), live);
                    results[i] = update.IsOk ? new(parsed.Value, null) : new(item.Id, update.Error);
                    writes.Add(update.IsOk && update.Value.Write.Change.Changes.Count > 0 ? [update.Value.Write] : []);
                    break;
                default:
                    var delete = await bin.PrepareDeleteAsync(caller, item.Object, item.Id, ct,
                        item.Id is not null && Ids.SalesforceId.TryNormalize(item.Id, out var deleteId) ? created.GetValueOrDefault(deleteId) : null);
                    results[i] = delete.IsOk ? new(delete.Value[0].Record.Id, null) : new(item.Id, delete.Error);
                    writes.Add(delete.IsOk ? delete.Value : []);
                    break;
            }
        }
        return (writes, results, items);
    }

    /// <summary>
    /// A task created in the same batch as its Opportunity or Contact: the store does not hold those yet, so its
    /// AccountId is derived again from the batch's records (and its created change lists it).
    /// </summary>
    async Task<CrmResult<RecordWrite>> WithBatchAccountAsync(Caller caller, CrmResult<RecordWrite> insert, IReadOnlyDictionary<string, Record> created, CancellationToken ct)
    {
        if (!insert.IsOk || insert.Value.Record.Object != StandardObjects.Task || insert.Value.Record["AccountId"] is not null || created.Count == 0) return insert;
        var record = insert.Value.Record;
        await ActivityAccount.DeriveAsync(store, caller.Tenant, record, ct, created);
        if (record["AccountId"] is null) return insert;
        return insert.Value with { Change = insert.Value.Change with { Changes = RecordService.CreatedChanges(record) } };
    }

    static Record AsInserted(Record record) =>
        new(record.Object, (object?[])record.Values.Clone(), new SortedDictionary<string, System.Text.Json.JsonElement>(record.Custom, StringComparer.OrdinalIgnoreCase), version: 1);
}
