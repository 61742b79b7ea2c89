using RevOps.Domain.Records;

namespace RevOps.Domain.Changes;

/// <summary>What undoing a change did (or, for a dry run, would do).</summary>
/// <param name="Undone">The change that was reverted.</param>
/// <param name="Operation">The new change's operation: updated (previous values back), deleted or restored.</param>
/// <param name="Changes">The fields the undo changes, before and after.</param>
/// <param name="Cascaded">Records deleted or restored along with the record (an Account's Contacts, …).</param>
/// <param name="Overridden">Fields changed again after <paramref name="Undone"/> whose later values force overwrote.</param>
public sealed record UndoOutcome(ChangeRow Undone, string Operation, Record Record, IReadOnlyList<FieldChange> Changes, IReadOnlyList<Record> Cascaded,
    IReadOnlyList<string> Overridden, bool DryRun);
