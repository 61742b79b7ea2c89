namespace RevOps.Domain.Soql;

/// <summary>One page of a query: rows [offset, offset+pageSize) of the full result, plus the full row count (after LIMIT).</summary>
public sealed record SoqlPage(long TotalSize, IReadOnlyList<SoqlRow> Records, bool IsAggregate, bool IsCountOnly);

/// <summary>
/// One result row. Object is the canonical sObject name (null for AggregateResult rows); Id may be null when not selected.
/// Fields are in SELECT order: scalars, a nested <see cref="SoqlRow"/> per parent (null when empty), <see cref="SoqlChildren"/> per subquery (null when none).
/// </summary>
public sealed record SoqlRow(string? Object, string? Id, IReadOnlyList<KeyValuePair<string, object?>> Fields);

/// <summary>A child subquery's result inside a row.</summary>
public sealed record SoqlChildren(long TotalSize, IReadOnlyList<SoqlRow> Records);
