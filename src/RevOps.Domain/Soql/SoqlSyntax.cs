namespace RevOps.Domain.Soql;

/// <summary>
/// The parsed form of a SOQL text, before names are checked against a schema. Every node keeps
/// the position of its first character so errors can name the row and column.
/// </summary>
public static class SoqlSyntax
{
    public sealed record Query(
        IReadOnlyList<SelectItem> Select,
        string From,
        int FromPosition,
        Condition? Where,
        IReadOnlyList<Path> GroupBy,
        Condition? Having,
        IReadOnlyList<Order> OrderBy,
        int? Limit,
        int? Offset,
        int Position)
    {
        /// <summary>USING SCOPE's filter scope (mine, everything, …), or null.</summary>
        public string? FilterScope { get; init; }
    }

    /// <summary>A dotted name: Name, Account.Name, Who.Owner.Name.</summary>
    public sealed record Path(IReadOnlyList<string> Parts, int Position)
    {
        public override string ToString() => string.Join('.', Parts);
    }

    public abstract record SelectItem(int Position);

    public sealed record FieldItem(Path Path) : SelectItem(Path.Position);

    /// <summary>FIELDS(ALL|STANDARD|CUSTOM).</summary>
    public sealed record FieldsItem(string Kind, int Start) : SelectItem(Start);

    public sealed record AggregateItem(Aggregate Aggregate, string? Alias) : SelectItem(Aggregate.Position);

    public sealed record SubqueryItem(Query Query) : SelectItem(Query.Position);

    /// <summary>COUNT(), COUNT(f), COUNT_DISTINCT(f), SUM, AVG, MIN, MAX.</summary>
    public sealed record Aggregate(string Function, Path? Argument, int Position)
    {
        public override string ToString() => $"{Function}({Argument})";
    }

    /// <summary>The left side of a condition or an ORDER BY item: a field path or (in HAVING and aggregate ORDER BY) an aggregate.</summary>
    public sealed record Operand(Path? Path, Aggregate? Aggregate)
    {
        public int Position => Path?.Position ?? Aggregate!.Position;
    }

    public abstract record Condition(int Position);

    public sealed record And(IReadOnlyList<Condition> Items, int Start) : Condition(Start);

    public sealed record Or(IReadOnlyList<Condition> Items, int Start) : Condition(Start);

    public sealed record Not(Condition Inner, int Start) : Condition(Start);

    /// <summary>operand op value; op is one of = != &lt; &gt; &lt;= &gt;= LIKE IN NOT IN INCLUDES EXCLUDES.</summary>
    public sealed record Comparison(Operand Left, string Op, Value Right, int Start) : Condition(Start);

    public abstract record Value(int Position);

    public sealed record StringValue(string Text, string LikePattern, int Start) : Value(Start);

    public sealed record NumberValue(decimal Number, bool IsInteger, int Start) : Value(Start);

    public sealed record BooleanValue(bool Flag, int Start) : Value(Start);

    public sealed record NullValue(int Start) : Value(Start);

    public sealed record DateValue(DateOnly Date, int Start) : Value(Start);

    public sealed record DateTimeValue(DateTime Utc, int Start) : Value(Start);

    /// <summary>TODAY, LAST_N_DAYS:30 …</summary>
    public sealed record DateLiteralValue(string Name, int? N, int Start) : Value(Start);

    public sealed record ListValue(IReadOnlyList<Value> Items, int Start) : Value(Start);

    public sealed record SubqueryValue(Query Query, int Start) : Value(Start);

    public sealed record Order(Operand Target, bool Descending, bool? NullsFirst);
}
