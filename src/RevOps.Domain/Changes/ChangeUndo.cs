using System.Text.Json;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Writes;

namespace RevOps.Domain.Changes;

/// <summary>
/// Reverts one change as a new change by the caller, through the same services any write uses
/// (so validation, cascades and the change log apply): an update gets its previous values back,
/// a delete is restored, a create or a restore is deleted again. Conversions and merges touch
/// several records at once and are refused with what to do instead.
/// </summary>
public sealed class ChangeUndo(IChangeStore changes, RecordService records, RecycleBin bin)
{
    /// <summary>More later changes than this on one record are not inspected for conflicts.</summary>
    const int MaxLaterChanges = 10_000;

    public async Task<CrmResult<UndoOutcome>> UndoAsync(Caller caller, long seq, bool force, bool dryRun, CancellationToken ct)
    {
        if (!caller.CanWrite)
            return new CrmError(ErrorCodes.InsufficientAccess, "This API key is read-only and cannot undo changes. Use a key with the write scope.");
        if (seq < 1) return new CrmError(ErrorCodes.InvalidArgument, $"seq must be 1 or more; {seq} was sent. list_changes shows each change's seq.", "seq");
        var change = await changes.GetAsync(caller.Tenant, seq, ct);
        if (change is null)
            return new CrmError(ErrorCodes.NotFound, $"no change with seq {seq} in this org. list_changes shows each change's seq.", "seq");
        if (!StandardObjects.TryGet(change.Object, out var obj))
            return new CrmError(ErrorCodes.InvalidArgument, $"change {seq} is on object {change.Object}, which this server no longer has.", "seq");
        if (Writes.FieldApplier.CheckWritable(obj) is { } managed) return managed;

        var later = await changes.ListAsync(caller.Tenant, new ChangeFilter(seq, MaxLaterChanges, RecordId: change.RecordId), ct);
        switch (change.Operation)
        {
            case ChangeOperations.Updated or ChangeOperations.StageChanged:
                return await RevertUpdateAsync(caller, obj, change, later, force, dryRun, ct);
            case ChangeOperations.Created or ChangeOperations.Restored:
            {
                var conflicts = Conflicts(change, later, later.SelectMany(l => l.Fields).Where(f => f != "IsDeleted"));
                if (conflicts.Error is not null && !force) return conflicts.Error;
                var deleted = await bin.DeleteAsync(caller, obj, change.RecordId, dryRun, ct);
                if (!deleted.IsOk) return deleted.Error;
                return Moved(change, ChangeOperations.Deleted, deleted.Value, conflicts.Fields);
            }
            case ChangeOperations.Deleted:
            {
                var restored = await bin.RestoreAsync(caller, obj, change.RecordId, dryRun, ct);
                if (!restored.IsOk) return restored.Error;
                return Moved(change, ChangeOperations.Restored, restored.Value, []);
            }
            case ChangeOperations.Converted:
                return new CrmError(ErrorCodes.InvalidArgument,
                    $"change {seq} converted Lead '{change.RecordId}', which cannot be undone as one change: a converted lead stays converted, as in Salesforce. Undo the created Account, Contact or Opportunity changes (list_changes with operation: created) to delete what the conversion made.", "seq");
            case ChangeOperations.Merged:
                return new CrmError(ErrorCodes.InvalidArgument,
                    $"change {seq} merged {change.Object} '{change.RecordId}' into another record, which cannot be undone as one change. Undo this record's move to the recycle bin with restore_record, and undo the master's and children's updates from the same request (list_changes shows them) one by one.", "seq");
            default:
                return new CrmError(ErrorCodes.InvalidArgument, $"change {seq} has operation '{change.Operation}', which undo_change does not know.", "seq");
        }
    }

    async Task<CrmResult<UndoOutcome>> RevertUpdateAsync(Caller caller, ObjectMetadata obj, ChangeRow change, IReadOnlyList<ChangeRow> later, bool force, bool dryRun,
        CancellationToken ct)
    {
        // Fields the system derives (Name from FirstName and LastName, IsClosed from StageName) follow from the ones reverted.
        var fields = change.Fields.Where(f => IsWritable(obj, f)).ToArray();
        if (fields.Length == 0)
            return new CrmError(ErrorCodes.InvalidArgument, $"change {change.Seq} changed only fields the system keeps ({string.Join(", ", change.Fields)}); there is nothing to put back.", "seq");
        var conflicts = Conflicts(change, later, later.SelectMany(l => l.Fields).Intersect(fields, StringComparer.OrdinalIgnoreCase));
        if (conflicts.Error is not null && !force) return conflicts.Error;

        var input = new RecordInput(fields.Select(f => new KeyValuePair<string, JsonElement>(f, change.Before(f).Clone())).ToArray());
        var updated = await records.UpdateAsync(caller, obj, change.RecordId, input, new WriteOptions(DryRun: dryRun), ct);
        if (!updated.IsOk) return updated.Error;
        var outcome = updated.Value;
        return new UndoOutcome(change, outcome.Operation, outcome.Record, outcome.Changes, [], conflicts.Fields, dryRun);
    }

    static bool IsWritable(ObjectMetadata obj, string field) =>
        obj.TryGetField(field, out var metadata) ? metadata.Updateable && !metadata.System : field.EndsWith("__c", StringComparison.OrdinalIgnoreCase);

    /// <summary>The fields changed again after <paramref name="change"/>, and the refusal that names them (null when there are none).</summary>
    static (IReadOnlyList<string> Fields, CrmError? Error) Conflicts(ChangeRow change, IReadOnlyList<ChangeRow> later, IEnumerable<string> touched)
    {
        var fields = touched.Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToArray();
        if (fields.Length == 0) return ([], null);
        var by = later.Where(l => l.Fields.Intersect(fields, StringComparer.OrdinalIgnoreCase).Any())
            .Select(l => $"seq {l.Seq} {l.Operation} by {l.ActorId} at {ValueJson.FormatDateTime(l.At)}");
        return (fields, new CrmError(ErrorCodes.Conflict,
            $"change {change.Seq} cannot be undone cleanly: {change.Object} '{change.RecordId}' changed again since in {string.Join(", ", fields)} ({string.Join("; ", by)}). Send force: true to undo anyway (overwriting those later values), or dry_run: true to preview.", "seq"));
    }

    static UndoOutcome Moved(ChangeRow change, string operation, BinOutcome outcome, IReadOnlyList<string> overridden) =>
        new(change, operation, outcome.Record, [new FieldChange("IsDeleted", operation != ChangeOperations.Deleted, operation == ChangeOperations.Deleted)],
            outcome.Cascaded, overridden, outcome.DryRun);
}
