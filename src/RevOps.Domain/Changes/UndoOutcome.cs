using System.Text.Json;
using RevOps.Domain.Records;

namespace RevOps.Domain.Changes;

/// <summary>What undoing a change did (or, for a dry run, would do).</summary>
/// <param name="Undone">The change that was reverted.</param>
/// <param name="Operation">The new change's operation: updated (previous values back), deleted or restored.</param>
/// <param name="Changes">The fields the undo changes, before and after.</param>
/// <param name="Cascaded">Records deleted or restored along with the record (an Account's Contacts, …).</param>
/// <param name="Conflicts">Fields changed again after <paramref name="Undone"/>: force overwrote them, or a dry run shows them.</param>
public sealed record UndoOutcome(ChangeRow Undone, string Operation, Record Record, IReadOnlyList<FieldChange> Changes, IReadOnlyList<Record> Cascaded,
    IReadOnlyList<UndoConflict> Conflicts, bool DryRun)
{
    /// <summary>The fields an update's undo puts back that no later change touched (what fields can pick to avoid the conflicts).</summary>
    public IReadOnlyList<string> Unconflicted { get; init; } = [];
}

/// <summary>A field changed again after the change being undone.</summary>
/// <param name="Then">The value the undone change left.</param>
/// <param name="Now">The value the latest later change (<paramref name="Seq"/>) left.</param>
public sealed record UndoConflict(string Field, JsonElement Then, JsonElement Now, long Seq);
