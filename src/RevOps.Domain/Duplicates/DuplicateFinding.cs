using RevOps.Domain.Errors;
using RevOps.Domain.Writes;

namespace RevOps.Domain.Duplicates;

public enum DuplicateVerdict
{
    Write,
    Skip,
    Block,
}

/// <summary>What to do with one new record, and the records it may duplicate (listed with a write too).</summary>
public sealed record DuplicateFinding(DuplicateVerdict Verdict, IReadOnlyList<DuplicateMatch> Matches)
{
    public static DuplicateFinding None { get; } = new(DuplicateVerdict.Write, []);

    /// <summary>The refusal of a blocked (or, where a skip cannot be answered as one, skipped) record: DUPLICATES_DETECTED naming the matches.</summary>
    public CrmError Error(string objectName) =>
        new(ErrorCodes.DuplicatesDetected,
            $"{objectName} not {(Verdict == DuplicateVerdict.Skip ? "written (skipped)" : "created")}: it may duplicate {Describe(Matches)}. Update that record instead, or send on_duplicate: report to create it anyway.",
            Matches.Count > 0 ? FieldOf(Matches[0].Rule) : null)
        { Duplicates = Matches };

    public static string Describe(IReadOnlyList<DuplicateMatch> matches) =>
        string.Join("; ", matches.Select(m => $"{m.Object} {m.Id} ({m.Name}) by {m.Rule} '{m.Value}'"));

    static string FieldOf(string rule) => rule switch
    {
        DuplicateRule.Email => "Email",
        DuplicateRule.Phone => "Phone",
        DuplicateRule.Website => "Website",
        _ => "Name",
    };
}
