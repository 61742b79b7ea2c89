namespace RevOps.Domain.Records;

public enum ConditionOp
{
    Equals,
    StartsWith,
    GreaterOrEqual,
    LessOrEqual,
}

/// <summary>A comparison of one field with a typed value.</summary>
public sealed record Condition(string Field, ConditionOp Op, object Value);

/// <summary>
/// Conditions that must all hold; each inner list holds when any of its conditions does.
/// Field names come from metadata, values go to storage as parameters.
/// </summary>
public sealed record RecordQuery(
    IReadOnlyList<IReadOnlyList<Condition>> AllOf,
    string OrderBy,
    bool Descending,
    int Limit)
{
    public const int MaxLimit = 200;
}
