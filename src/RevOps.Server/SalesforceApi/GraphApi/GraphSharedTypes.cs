using GraphQL.Resolvers;
using GraphQL.Types;
using RevOps.Domain.Metadata;
using GqlField = GraphQL.Types.FieldType;

using FieldType = RevOps.Domain.Metadata.FieldType;

namespace RevOps.Server.SalesforceApi.GraphApi;

/// <summary>
/// The types every object shares, named as Salesforce names them: a value type per field type
/// (StringValue, CurrencyValue …), an operator input per field type (StringOperators …), ordering
/// and paging. One set per generated schema (GraphQL.NET binds a type to one schema).
/// </summary>
public sealed class GraphSharedTypes
{
    readonly Dictionary<string, ObjectGraphType> _values = [];
    readonly Dictionary<string, InputObjectGraphType> _operators = [];

    public GraphSharedTypes()
    {
        ResultOrder = new EnumerationGraphType { Name = "ResultOrder" };
        ResultOrder.Add("ASC", "ASC");
        ResultOrder.Add("DESC", "DESC");
        NullOrder = new EnumerationGraphType { Name = "NullOrder" };
        NullOrder.Add("FIRST", "FIRST");
        NullOrder.Add("LAST", "LAST");
        OrderByClause = new InputObjectGraphType { Name = "OrderByClause" };
        OrderByClause.AddField(new GqlField { Name = "order", ResolvedType = ResultOrder });
        OrderByClause.AddField(new GqlField { Name = "nulls", ResolvedType = NullOrder });

        DateLiteral = new EnumerationGraphType { Name = "DateLiteral" };
        foreach (string name in DateLiteralNames) DateLiteral.Add(name, name);
        DateInput = Input("DateInput", ("value", new StringGraphType()), ("literal", DateLiteral));
        DateTimeInput = Input("DateTimeInput", ("value", new StringGraphType()), ("literal", DateLiteral));

        PageInfo = new ObjectGraphType { Name = "PageInfo" };
        Add(PageInfo, "hasNextPage", new NonNullGraphType(new BooleanGraphType()), c => ((GraphConnection)c.Source!).HasNextPage);
        Add(PageInfo, "hasPreviousPage", new NonNullGraphType(new BooleanGraphType()), c => ((GraphConnection)c.Source!).Offset > 0);
        Add(PageInfo, "startCursor", new StringGraphType(), c =>
            ((GraphConnection)c.Source!) is { Nodes.Count: > 0 } page ? GraphCursor.Encode(page.Offset + 1) : null);
        Add(PageInfo, "endCursor", new StringGraphType(), c =>
            ((GraphConnection)c.Source!) is { Nodes.Count: > 0 } page ? GraphCursor.Encode(page.Offset + page.Nodes.Count) : null);

        RecordDeleteInput = Input("RecordDeleteInput", ("Id", new NonNullGraphType(new IdGraphType())));
        RecordDeletePayload = new ObjectGraphType { Name = "RecordDeletePayload" };
        Add(RecordDeletePayload, "Id", new IdGraphType(), c => c.Source as string);
    }

    /// <summary>The date literals that name a fixed range (TODAY, THIS_QUARTER …).</summary>
    public static readonly string[] DateLiteralNames =
    [
        "YESTERDAY", "TODAY", "TOMORROW", "LAST_WEEK", "THIS_WEEK", "NEXT_WEEK", "LAST_MONTH", "THIS_MONTH", "NEXT_MONTH",
        "LAST_90_DAYS", "NEXT_90_DAYS", "THIS_QUARTER", "LAST_QUARTER", "NEXT_QUARTER", "THIS_YEAR", "LAST_YEAR", "NEXT_YEAR",
    ];

    public EnumerationGraphType ResultOrder { get; }
    public EnumerationGraphType NullOrder { get; }
    public InputObjectGraphType OrderByClause { get; }
    public EnumerationGraphType DateLiteral { get; }
    public InputObjectGraphType DateInput { get; }
    public InputObjectGraphType DateTimeInput { get; }
    public ObjectGraphType PageInfo { get; }
    public InputObjectGraphType RecordDeleteInput { get; }
    public ObjectGraphType RecordDeletePayload { get; }

    /// <summary>StringValue, CurrencyValue …: { value displayValue }.</summary>
    public ObjectGraphType ValueType(FieldType type)
    {
        string name = ValueTypeName(type);
        if (_values.TryGetValue(name, out var existing)) return existing;
        var value = new ObjectGraphType { Name = name };
        Add(value, "value", Scalar(type), c => ((GraphValue)c.Source!).Value);
        Add(value, "displayValue", new StringGraphType(), c => ((GraphValue)c.Source!).DisplayValue);
        return _values[name] = value;
    }

    /// <summary>StringOperators, DateOperators …: eq, ne, comparisons, like, in, nin as the type allows.</summary>
    public InputObjectGraphType Operators(FieldType type)
    {
        string name = OperatorsName(type);
        if (_operators.TryGetValue(name, out var existing)) return existing;
        IGraphType operand = type switch
        {
            FieldType.Date => DateInput,
            FieldType.DateTime => DateTimeInput,
            _ => Scalar(type),
        };
        var ops = new InputObjectGraphType { Name = name };
        ops.AddField(new GqlField { Name = "eq", ResolvedType = operand });
        ops.AddField(new GqlField { Name = "ne", ResolvedType = operand });
        if (type is FieldType.MultiPicklist)
        {
            ops.AddField(new GqlField { Name = "includes", ResolvedType = new ListGraphType(new NonNullGraphType(new StringGraphType())) });
            ops.AddField(new GqlField { Name = "excludes", ResolvedType = new ListGraphType(new NonNullGraphType(new StringGraphType())) });
        }
        else if (type is not FieldType.Boolean)
        {
            foreach (string op in new[] { "gt", "gte", "lt", "lte" }) ops.AddField(new GqlField { Name = op, ResolvedType = operand });
            if (IsText(type)) ops.AddField(new GqlField { Name = "like", ResolvedType = new StringGraphType() });
            ops.AddField(new GqlField { Name = "in", ResolvedType = new ListGraphType(operand) });
            ops.AddField(new GqlField { Name = "nin", ResolvedType = new ListGraphType(operand) });
        }
        return _operators[name] = ops;
    }

    /// <summary>The GraphQL scalar of a value (and of a mutation's input) of the field type.</summary>
    public static IGraphType Scalar(FieldType type) => type switch
    {
        FieldType.Id or FieldType.Reference => new IdGraphType(),
        FieldType.Int => new LongGraphType(),
        FieldType.Double or FieldType.Currency or FieldType.Percent => new FloatGraphType(),
        FieldType.Boolean => new BooleanGraphType(),
        _ => new StringGraphType(),
    };

    public static bool IsText(FieldType type) =>
        type is FieldType.String or FieldType.TextArea or FieldType.Email or FieldType.Phone or FieldType.Url or FieldType.Picklist;

    static string ValueTypeName(FieldType type) => type switch
    {
        FieldType.Id or FieldType.Reference => "IDValue",
        FieldType.Phone => "PhoneNumberValue",
        _ => type + "Value",
    };

    static string OperatorsName(FieldType type) => type switch
    {
        FieldType.Id or FieldType.Reference => "IDOperators",
        FieldType.Phone => "PhoneNumberOperators",
        FieldType.Int => "IntegerOperators",
        _ => type + "Operators",
    };

    static InputObjectGraphType Input(string name, params (string Name, IGraphType Type)[] fields)
    {
        var input = new InputObjectGraphType { Name = name };
        foreach (var (field, type) in fields) input.AddField(new GqlField { Name = field, ResolvedType = type });
        return input;
    }

    public static void AddAsync(IComplexGraphType owner, string name, IGraphType type, Func<GraphQL.IResolveFieldContext, ValueTask<object?>> resolve, QueryArguments? arguments = null) =>
        owner.AddField(new GqlField { Name = name, ResolvedType = type, Resolver = new FuncFieldResolver<object>(resolve), Arguments = arguments });

    public static void Add(IComplexGraphType owner, string name, IGraphType type, Func<GraphQL.IResolveFieldContext, object?> resolve, QueryArguments? arguments = null) =>
        owner.AddField(new GqlField { Name = name, ResolvedType = type, Resolver = new FuncFieldResolver<object>(resolve), Arguments = arguments });
}
