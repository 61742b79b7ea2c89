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

    /// <param name="fields">Only these fields of an update go back (null: all it changed); conflicts are checked on them alone.</param>
    public async Task<CrmResult<UndoOutcome>> UndoAsync(Caller caller, long seq, bool force, bool dryRun, CancellationToken ct, IReadOnlyList<string>? fields = null)
    {
        if (!caller.CanWrite)
            return new CrmError(ErrorCodes.InsufficientAccess, "This API key is read-only and cannot undo changes. Use a key with the write scope.");
        if (seq < 1) return new CrmError(ErrorCodes.InvalidArgument, $"seq must be 1 or more; {seq} was sent. list_changes shows each change's seq.", "seq");
        var change = await changes.GetAsync(caller.Tenant, seq, ct);
        if (change is null)
            return new CrmError(ErrorCodes.NotFound, $"no change with seq {seq} in this org. list_changes shows each change's seq.", "seq");
        if (!StandardObjects.TryGet(change.Object, out var obj) && await records.ObjectOfIdAsync(caller.Tenant, change.RecordId, ct) is { IsOk: true } custom
            && custom.Value.Name == change.Object)
            obj = custom.Value;
        if (obj is null)
            return new CrmError(ErrorCodes.InvalidArgument, $"change {seq} is on object {change.Object}, which this server no longer has.", "seq");
        if (Writes.FieldApplier.CheckWritable(obj) is { } managed) return managed;
        bool isUpdate = change.Operation is ChangeOperations.Updated or ChangeOperations.StageChanged;
        if (fields is not null && !isUpdate)
            return new CrmError(ErrorCodes.InvalidArgument,
                $"fields picks fields of an update; change {seq} is a {change.Operation} of {change.Object} '{change.RecordId}', which is undone whole. Send it again without fields.", "fields");

        var later = await changes.ListAsync(caller.Tenant, new ChangeFilter(seq, MaxLaterChanges, RecordId: change.RecordId), ct);
        switch (change.Operation)
        {
            case ChangeOperations.Updated or ChangeOperations.StageChanged:
                return await RevertUpdateAsync(caller, obj, change, later, fields, force, dryRun, ct);
            case ChangeOperations.Created or ChangeOperations.Restored:
            {
                var conflicts = Conflicts(change, later, later.SelectMany(l => l.Fields).Where(f => f != "IsDeleted"));
                if (conflicts.Count > 0 && !force && !dryRun) return Refusal(change, later, conflicts, []);
                var deleted = await bin.DeleteAsync(caller, obj, change.RecordId, dryRun, ct);
                if (!deleted.IsOk) return deleted.Error;
                return Moved(change, ChangeOperations.Deleted, deleted.Value, conflicts);
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

    async Task<CrmResult<UndoOutcome>> RevertUpdateAsync(Caller caller, ObjectMetadata obj, ChangeRow change, IReadOnlyList<ChangeRow> later, IReadOnlyList<string>? requested,
        bool force, bool dryRun, CancellationToken ct)
    {
        var chosen = Chosen(change, requested);
        if (!chosen.IsOk) return chosen.Error;
        // Fields the system derives (Name from FirstName and LastName, IsClosed from StageName) follow from the ones reverted.
        var fields = chosen.Value.Where(f => IsWritable(obj, f)).ToArray();
        if (fields.Length == 0)
            return new CrmError(ErrorCodes.InvalidArgument, $"change {change.Seq} changed only fields the system keeps ({string.Join(", ", chosen.Value)}); there is nothing to put back.",
                requested is null ? "seq" : "fields");
        var conflicts = Conflicts(change, later, later.SelectMany(l => l.Fields).Intersect(fields, StringComparer.OrdinalIgnoreCase));
        var clean = fields.Where(f => !conflicts.Any(c => c.Field.Equals(f, StringComparison.OrdinalIgnoreCase))).ToArray();
        if (conflicts.Count > 0 && !force && !dryRun) return Refusal(change, later, conflicts, clean);

        var input = new RecordInput(fields.Select(f => new KeyValuePair<string, JsonElement>(f, change.Before(f).Clone())).ToArray());
        var updated = await records.UpdateAsync(caller, obj, change.RecordId, input, new WriteOptions(DryRun: dryRun), ct);
        if (!updated.IsOk) return updated.Error;
        var outcome = updated.Value;
        return new UndoOutcome(change, outcome.Operation, outcome.Record, outcome.Changes, [], conflicts, dryRun) { Unconflicted = clean };
    }

    /// <summary>The requested fields as the change spells them, or every field it touched; a field it did not touch is refused naming those it did.</summary>
    static CrmResult<IReadOnlyList<string>> Chosen(ChangeRow change, IReadOnlyList<string>? requested)
    {
        var touched = change.Fields.ToArray();
        if (requested is null) return touched;
        if (requested.Count == 0)
            return new CrmError(ErrorCodes.InvalidArgument, $"fields is empty. Send some of the fields change {change.Seq} changed: {string.Join(", ", touched)}; or leave fields out to undo them all.", "fields");
        var chosen = new List<string>();
        foreach (var name in requested)
        {
            var match = touched.FirstOrDefault(t => t.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase));
            if (match is null)
                return new CrmError(ErrorCodes.InvalidArgument,
                    $"change {change.Seq} did not change {name}; it changed {string.Join(", ", touched)}. Send fields from those.", "fields");
            if (!chosen.Contains(match)) chosen.Add(match);
        }
        return chosen;
    }

    static bool IsWritable(ObjectMetadata obj, string field) =>
        obj.TryGetField(field, out var metadata) ? metadata.Updateable && !metadata.System : field.EndsWith("__c", StringComparison.OrdinalIgnoreCase);

    static readonly JsonElement Null = JsonDocument.Parse("null").RootElement;

    /// <summary>Each field changed again after <paramref name="change"/>: the value the change left and the value the latest later change left.</summary>
    static IReadOnlyList<UndoConflict> Conflicts(ChangeRow change, IReadOnlyList<ChangeRow> later, IEnumerable<string> touched)
    {
        var conflicts = new List<UndoConflict>();
        foreach (var field in touched.Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal))
        {
            var last = later.Last(l => l.Fields.Contains(field, StringComparer.OrdinalIgnoreCase));
            string stored = last.Fields.First(f => f.Equals(field, StringComparison.OrdinalIgnoreCase));
            var then = change.Fields.FirstOrDefault(f => f.Equals(field, StringComparison.OrdinalIgnoreCase)) is { } own ? change.After(own).Clone() : Null;
            conflicts.Add(new UndoConflict(stored, then, last.After(stored).Clone(), last.Seq));
        }
        return conflicts;
    }

    /// <summary>The refusal that names the conflicting fields and the two ways on: force, or undo only the fields nothing touched since.</summary>
    static CrmError Refusal(ChangeRow change, IReadOnlyList<ChangeRow> later, IReadOnlyList<UndoConflict> conflicts, IReadOnlyList<string> clean)
    {
        var names = conflicts.Select(c => c.Field).ToArray();
        var by = later.Where(l => l.Fields.Intersect(names, StringComparer.OrdinalIgnoreCase).Any())
            .Select(l => $"seq {l.Seq} {l.Operation} by {l.ActorId} at {ValueJson.FormatDateTime(l.At)}");
        string others = clean.Count > 0 ? $", or fields: [{string.Join(", ", clean.Select(f => $"\"{f}\""))}] to undo only the fields not changed since" : "";
        return new CrmError(ErrorCodes.Conflict,
            $"change {change.Seq} cannot be undone cleanly: {change.Object} '{change.RecordId}' changed again since in {string.Join(", ", names)} ({string.Join("; ", by)}). Send force: true to undo anyway (overwriting those later values){others}.", "seq");
    }

    static UndoOutcome Moved(ChangeRow change, string operation, BinOutcome outcome, IReadOnlyList<UndoConflict> overridden) =>
        new(change, operation, outcome.Record, [new FieldChange("IsDeleted", operation != ChangeOperations.Deleted, operation == ChangeOperations.Deleted)],
            outcome.Cascaded, overridden, outcome.DryRun);
}
