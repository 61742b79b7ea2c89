using RevOps.Domain.Metadata;

namespace RevOps.Domain.Records;

public enum ConditionOp
{
    Equals,
    NotEquals,
    StartsWith,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
    /// <summary>A multi-select picklist holds this value among its ';'-separated values.</summary>
    Includes,
}

/// <summary>A comparison of one field (standard or custom) with a typed value; null with Equals/NotEquals tests for absence.</summary>
public sealed record Condition(FieldMetadata Field, ConditionOp Op, object? Value);

/// <summary>
/// Conditions that must all hold; each inner list holds when any of its conditions does.
/// Fields come from the tenant's schema, values go to storage as parameters.
/// </summary>
public sealed record RecordQuery(
    IReadOnlyList<IReadOnlyList<Condition>> AllOf,
    FieldMetadata OrderBy,
    bool Descending,
    int Limit)
{
    public const int MaxLimit = 200;
    public const int DefaultLimit = 25;

    /// <summary>Rows to skip (paging).</summary>
    public int Offset { get; init; }

    /// <summary>Search the recycle bin instead of live records.</summary>
    public bool Deleted { get; init; }
}
