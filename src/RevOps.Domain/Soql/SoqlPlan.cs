using RevOps.Domain.Metadata;

namespace RevOps.Domain.Soql;

/// <summary>
/// A SOQL query checked against one tenant's schema: which tables it reads (the root and the
/// parents it joins), what each output column is, and its filters as typed values. Storage
/// turns it into SQL; nothing in it is SQL text, and every name in it comes from metadata.
/// </summary>
public sealed class SoqlPlan
{
    public required SoqlSource Root { get; init; }
    /// <summary>Parent tables, each joined to a source listed before it (or the root).</summary>
    public required IReadOnlyList<SoqlSource> Joins { get; init; }
    public required IReadOnlyList<SoqlOutput> Outputs { get; init; }
    public SoqlFilter? Where { get; init; }
    public IReadOnlyList<SoqlExpr> GroupBy { get; init; } = [];
    public SoqlFilter? Having { get; init; }
    public IReadOnlyList<SoqlOrder> OrderBy { get; init; } = [];
    public int? Limit { get; init; }
    public int Offset { get; init; }
    public bool IsAggregate { get; init; }
    public bool IsCountOnly { get; init; }
    /// <summary>For a child subquery: the child's field that points at the parent row.</summary>
    public FieldMetadata? ParentKey { get; init; }
}

/// <summary>One table in a statement: the root, or a parent reached through <see cref="Via"/> on <see cref="Parent"/>.</summary>
public sealed record SoqlSource(int Alias, ObjectMetadata Object, SoqlSource? Parent = null, FieldMetadata? Via = null);

/// <summary>A field of one source.</summary>
public sealed record SoqlColumn(SoqlSource Source, FieldMetadata Field);

/// <summary>
/// A field as the query names it. Through a polymorphic relationship (Who, What) it has one
/// column per possible parent, and at most one of them is non-null on any row.
/// </summary>
public sealed record SoqlField(FieldMetadata Field, IReadOnlyList<SoqlColumn> Columns);

/// <summary>A field, or an aggregate of one (COUNT() has no field).</summary>
public sealed record SoqlExpr(SoqlField? Field, SoqlAggregate? Aggregate = null)
{
    public FieldType Type => Aggregate switch
    {
        SoqlAggregate.Count or SoqlAggregate.CountDistinct => FieldType.Int,
        SoqlAggregate.Sum or SoqlAggregate.Avg => FieldType.Double,
        _ => Field!.Field.Type,
    };
}

public enum SoqlAggregate
{
    Count,
    CountDistinct,
    Sum,
    Avg,
    Min,
    Max,
}

public sealed record SoqlOrder(SoqlExpr Expr, bool Descending, bool NullsFirst);

/// <summary>What a result row holds, in SELECT order.</summary>
public abstract record SoqlOutput(string Name);

/// <summary>A field or aggregate value.</summary>
public sealed record SoqlValueOutput(string Name, SoqlExpr Expr) : SoqlOutput(Name);

/// <summary>A parent record (Account, Who): null when the reference is empty; its type is that of the source whose Id is set.</summary>
public sealed record SoqlParentOutput(string Name, IReadOnlyList<SoqlSource> Sources, List<SoqlOutput> Items) : SoqlOutput(Name);

/// <summary>A child subquery (Contacts, Tasks …), run per page of parent rows.</summary>
public sealed record SoqlChildOutput(string Name, SoqlPlan Plan) : SoqlOutput(Name);

public enum SoqlCompareOp
{
    Equals,
    NotEquals,
    Less,
    Greater,
    LessOrEqual,
    GreaterOrEqual,
}

/// <summary>A WHERE or HAVING condition. Values are typed (string, long, double, bool, DateOnly, DateTime UTC).</summary>
public abstract record SoqlFilter
{
    public sealed record AllOf(IReadOnlyList<SoqlFilter> Items) : SoqlFilter;

    public sealed record AnyOf(IReadOnlyList<SoqlFilter> Items) : SoqlFilter;

    /// <summary>True where the inner condition is false or unknown (null).</summary>
    public sealed record Not(SoqlFilter Inner) : SoqlFilter;

    /// <summary>NotEquals is also true where the value is null, as in Salesforce. Text compares case-insensitively.</summary>
    public sealed record Compare(SoqlExpr Left, SoqlCompareOp Op, object Value) : SoqlFilter;

    public sealed record IsNull(SoqlExpr Left, bool Negated) : SoqlFilter;

    /// <summary>IN (values). NOT IN is planned as Not(In), so it is also true where the value is null.</summary>
    public sealed record In(SoqlExpr Left, IReadOnlyList<object> Values) : SoqlFilter;

    /// <summary>LIKE with % and _ wildcards; the pattern escapes literal %, _ and \ with '\'.</summary>
    public sealed record Like(SoqlExpr Left, string Pattern) : SoqlFilter;

    /// <summary>INCLUDES: any of the sets, each a list of values that must all be selected. EXCLUDES is planned as Not(Includes).</summary>
    public sealed record Includes(SoqlExpr Left, IReadOnlyList<IReadOnlyList<string>> AnyOfSets) : SoqlFilter;

    /// <summary>Left IN (SELECT field FROM …): the subquery's single output. NOT IN is planned as Not(SemiJoin).</summary>
    public sealed record SemiJoin(SoqlExpr Left, SoqlPlan Subquery) : SoqlFilter;
}
