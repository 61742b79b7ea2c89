using System.Globalization;
using RevOps.Domain.Errors;
using static RevOps.Domain.Soql.SoqlSyntax;
using Path = RevOps.Domain.Soql.SoqlSyntax.Path;

namespace RevOps.Domain.Soql;

/// <summary>
/// A recursive-descent parser for the SOQL subset of the REST spec (§8). It checks syntax only;
/// names are checked against the tenant's schema by <see cref="SoqlPlanner"/>. Every method
/// returns null after recording the first error, so nothing throws for bad input.
/// </summary>
public sealed class SoqlParser
{
    public const int MaxOffset = 2000;

    static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "LIKE", "INCLUDES", "EXCLUDES", "GROUP", "BY", "HAVING", "ORDER",
        "LIMIT", "OFFSET", "ASC", "DESC", "NULLS", "FIRST", "LAST", "NULL", "TRUE", "FALSE", "WITH", "FOR", "USING", "UPDATE",
    };

    static readonly HashSet<string> AggregateFunctions = new(StringComparer.OrdinalIgnoreCase) { "COUNT", "COUNT_DISTINCT", "SUM", "AVG", "MIN", "MAX" };

    readonly string _soql;
    readonly List<SoqlToken> _tokens;
    int _next;
    CrmError? _error;

    SoqlParser(string soql, List<SoqlToken> tokens)
    {
        _soql = soql;
        _tokens = tokens;
    }

    public static CrmResult<Query> Parse(string soql)
    {
        if (!SoqlLexer.TryTokenize(soql, out var tokens, out int at))
            return SoqlErrors.At(soql, at, ErrorCodes.MalformedQuery, $"unexpected token: '{TokenAt(soql, at)}'");
        var parser = new SoqlParser(soql, tokens);
        var query = parser.ParseQuery(nested: false);
        if (query is not null && parser.Peek.Kind != SoqlTokenKind.End) return SoqlErrors.Unexpected(soql, parser.Peek);
        return query is null ? parser._error! : query;
    }

    static string TokenAt(string soql, int at)
    {
        int end = at + 1;
        if (at < soql.Length && soql[at] == '\'') return soql[at..];
        while (end < soql.Length && !char.IsWhiteSpace(soql[end]) && soql[end] is not ('(' or ')' or ',')) end++;
        return soql[at..Math.Min(end, soql.Length)];
    }

    SoqlToken Peek => _tokens[_next];

    SoqlToken PeekAt(int ahead) => _tokens[Math.Min(_next + ahead, _tokens.Count - 1)];

    SoqlToken Take() => _tokens[_next < _tokens.Count - 1 ? _next++ : _next];

    bool Accept(string keyword)
    {
        if (!Peek.Is(keyword)) return false;
        _next++;
        return true;
    }

    bool AcceptSymbol(string symbol)
    {
        if (!Peek.IsSymbol(symbol)) return false;
        _next++;
        return true;
    }

    T? Fail<T>(SoqlToken token) where T : class
    {
        _error ??= SoqlErrors.Unexpected(_soql, token);
        return null;
    }

    T? Fail<T>(CrmError error) where T : class
    {
        _error ??= error;
        return null;
    }

    bool Expect(string keyword)
    {
        if (Accept(keyword)) return true;
        Fail<object>(Peek);
        return false;
    }

    bool ExpectSymbol(string symbol)
    {
        if (AcceptSymbol(symbol)) return true;
        Fail<object>(Peek);
        return false;
    }

    Query? ParseQuery(bool nested)
    {
        int start = Peek.Position;
        if (!Expect("SELECT")) return null;
        var select = new List<SelectItem>();
        do
        {
            var item = ParseSelectItem();
            if (item is null) return null;
            select.Add(item);
        }
        while (AcceptSymbol(","));

        if (!Expect("FROM")) return null;
        var from = Take();
        if (from.Kind != SoqlTokenKind.Identifier || Reserved.Contains(from.Text)) return Fail<Query>(from);
        string? filterScope = null;
        if (Peek.Is("USING"))
        {
            // USING SCOPE mine keeps the caller's own records (OwnerId); the others (everything, team, …) see all, as there is no sharing model.
            _next++;
            if (!Expect("SCOPE")) return null;
            var scopeName = Take();
            if (scopeName.Kind != SoqlTokenKind.Identifier) return Fail<Query>(scopeName);
            filterScope = scopeName.Text;
        }

        Condition? where = null;
        if (Accept("WHERE") && (where = ParseCondition()) is null) return null;
        if (Peek.Is("WITH"))
        {
            // WITH SECURITY_ENFORCED / USER_MODE / SYSTEM_MODE are accepted and ignored (one user per key).
            var mode = PeekAt(1);
            if (!(mode.Is("SECURITY_ENFORCED") || mode.Is("USER_MODE") || mode.Is("SYSTEM_MODE"))) return Fail<Query>(mode);
            _next += 2;
        }

        var groupBy = new List<Path>();
        if (Accept("GROUP"))
        {
            if (!Expect("BY")) return null;
            if (Peek.Is("ROLLUP") || Peek.Is("CUBE")) return Fail<Query>(Peek);
            do
            {
                var path = ParsePath();
                if (path is null) return null;
                groupBy.Add(path);
            }
            while (AcceptSymbol(","));
        }

        Condition? having = null;
        if (Accept("HAVING") && (having = ParseCondition()) is null) return null;

        var orderBy = new List<Order>();
        if (Accept("ORDER"))
        {
            if (!Expect("BY")) return null;
            do
            {
                var target = ParseOperand();
                if (target is null) return null;
                bool descending = false;
                if (Accept("DESC")) descending = true;
                else Accept("ASC");
                bool? nullsFirst = null;
                if (Accept("NULLS"))
                {
                    if (Accept("FIRST")) nullsFirst = true;
                    else if (Accept("LAST")) nullsFirst = false;
                    else return Fail<Query>(Peek);
                }
                orderBy.Add(new Order(target, descending, nullsFirst));
            }
            while (AcceptSymbol(","));
        }

        int? limit = null, offset = null;
        if (Accept("LIMIT"))
        {
            var n = ParseCount();
            if (n is null) return null;
            limit = n.Value;
        }
        if (Accept("OFFSET"))
        {
            var token = Peek;
            var n = ParseCount();
            if (n is null) return null;
            if (n.Value > MaxOffset)
                return Fail<Query>(new CrmError(ErrorCodes.NumberOutsideValidRange, $"Maximum SOQL offset allowed is {MaxOffset}; got {token.Text}."));
            offset = n.Value;
        }
        if (!nested && Peek.Is("FOR"))
        {
            // FOR VIEW / REFERENCE / UPDATE: accepted and ignored (we keep no recently-viewed list and take no row locks).
            var what = PeekAt(1);
            if (!(what.Is("VIEW") || what.Is("REFERENCE") || what.Is("UPDATE"))) return Fail<Query>(what);
            _next += 2;
        }
        return new Query(select, from.Text, from.Position, where, groupBy, having, orderBy, limit, offset, start) { FilterScope = filterScope };
    }

    int? ParseCount()
    {
        var token = Take();
        if (token.Kind == SoqlTokenKind.Number && int.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out int n)) return n;
        _error ??= SoqlErrors.Unexpected(_soql, token);
        return null;
    }

    SelectItem? ParseSelectItem()
    {
        var token = Peek;
        if (token.IsSymbol("("))
        {
            _next++;
            var sub = ParseQuery(nested: true);
            if (sub is null || !ExpectSymbol(")")) return null;
            return new SubqueryItem(sub);
        }
        if (token.Kind != SoqlTokenKind.Identifier || Reserved.Contains(token.Text)) return Fail<SelectItem>(token);
        if (PeekAt(1).IsSymbol("("))
        {
            if (token.Is("FIELDS"))
            {
                _next += 2;
                var kind = Take();
                if (!(kind.Is("ALL") || kind.Is("STANDARD") || kind.Is("CUSTOM"))) return Fail<SelectItem>(kind);
                if (!ExpectSymbol(")")) return null;
                return new FieldsItem(kind.Text.ToUpperInvariant(), token.Position);
            }
            if (token.Is("toLabel") || token.Is("FORMAT") || token.Is("convertCurrency"))
            {
                // Labels equal values here and there is one currency, so these read the field itself.
                _next += 2;
                var inner = ParsePath();
                if (inner is null || !ExpectSymbol(")")) return null;
                SkipAlias();
                return new FieldItem(inner);
            }
            var aggregate = ParseAggregate();
            if (aggregate is null) return null;
            return new AggregateItem(aggregate, ParseAlias());
        }
        var path = ParsePath();
        if (path is null) return null;
        return new FieldItem(path);
    }

    string? ParseAlias()
    {
        if (Peek.Kind == SoqlTokenKind.Identifier && !Reserved.Contains(Peek.Text)) return Take().Text;
        return null;
    }

    void SkipAlias() => ParseAlias();

    Aggregate? ParseAggregate()
    {
        var name = Take();
        if (!AggregateFunctions.Contains(name.Text)) return Fail<Aggregate>(name);
        if (!ExpectSymbol("(")) return null;
        Path? argument = null;
        if (!Peek.IsSymbol(")"))
        {
            argument = ParsePath();
            if (argument is null) return null;
        }
        else if (!name.Is("COUNT")) return Fail<Aggregate>(Peek);
        if (!ExpectSymbol(")")) return null;
        return new Aggregate(name.Text.ToUpperInvariant(), argument, name.Position);
    }

    Path? ParsePath()
    {
        var first = Take();
        if (first.Kind != SoqlTokenKind.Identifier || Reserved.Contains(first.Text)) return Fail<Path>(first);
        var parts = new List<string> { first.Text };
        while (AcceptSymbol("."))
        {
            var part = Take();
            if (part.Kind != SoqlTokenKind.Identifier) return Fail<Path>(part);
            parts.Add(part.Text);
        }
        return new Path(parts, first.Position);
    }

    Operand? ParseOperand()
    {
        if (Peek.Kind == SoqlTokenKind.Identifier && PeekAt(1).IsSymbol("("))
        {
            var aggregate = ParseAggregate();
            return aggregate is null ? null : new Operand(null, aggregate);
        }
        var path = ParsePath();
        return path is null ? null : new Operand(path, null);
    }

    /// <summary>A run of conditions joined by one kind of operator: AND and OR may not mix at one level without parentheses.</summary>
    Condition? ParseCondition()
    {
        int start = Peek.Position;
        var first = ParseTerm();
        if (first is null) return null;
        if (!(Peek.Is("AND") || Peek.Is("OR"))) return first;
        string joiner = Peek.Text.ToUpperInvariant();
        var items = new List<Condition> { first };
        while (Peek.Is("AND") || Peek.Is("OR"))
        {
            if (!Peek.Is(joiner)) return Fail<Condition>(Peek);
            _next++;
            var next = ParseTerm();
            if (next is null) return null;
            items.Add(next);
        }
        return joiner == "AND" ? new And(items, start) : new Or(items, start);
    }

    Condition? ParseTerm()
    {
        var token = Peek;
        if (token.Is("NOT"))
        {
            _next++;
            var inner = ParseTerm();
            return inner is null ? null : new Not(inner, token.Position);
        }
        if (token.IsSymbol("("))
        {
            _next++;
            var inner = ParseCondition();
            if (inner is null || !ExpectSymbol(")")) return null;
            return inner;
        }
        var left = ParseOperand();
        if (left is null) return null;
        var opToken = Take();
        string? op = opToken.Kind == SoqlTokenKind.Symbol && opToken.Text is "=" or "!=" or "<>" or "<" or ">" or "<=" or ">="
            ? (opToken.Text == "<>" ? "!=" : opToken.Text)
            : opToken.Is("LIKE") ? "LIKE"
            : opToken.Is("IN") ? "IN"
            : opToken.Is("INCLUDES") ? "INCLUDES"
            : opToken.Is("EXCLUDES") ? "EXCLUDES"
            : opToken.Is("NOT") && Accept("IN") ? "NOT IN"
            : null;
        if (op is null) return Fail<Condition>(opToken);
        Value? right = op is "IN" or "NOT IN" or "INCLUDES" or "EXCLUDES" ? ParseList(allowSubquery: op is "IN" or "NOT IN") : ParseValue();
        if (right is null) return null;
        return new Comparison(left, op, right, left.Position);
    }

    Value? ParseList(bool allowSubquery)
    {
        var open = Peek;
        if (!ExpectSymbol("(")) return null;
        if (allowSubquery && Peek.Is("SELECT"))
        {
            var sub = ParseQuery(nested: true);
            if (sub is null || !ExpectSymbol(")")) return null;
            return new SubqueryValue(sub, open.Position);
        }
        var items = new List<Value>();
        do
        {
            var value = ParseValue();
            if (value is null) return null;
            items.Add(value);
        }
        while (AcceptSymbol(","));
        if (!ExpectSymbol(")")) return null;
        return new ListValue(items, open.Position);
    }

    Value? ParseValue()
    {
        var token = Take();
        switch (token.Kind)
        {
            case SoqlTokenKind.String:
                return new StringValue(token.Value!, token.LikePattern!, token.Position);
            case SoqlTokenKind.Number:
                if (!decimal.TryParse(token.Text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal number))
                    return Fail<Value>(token);
                return new NumberValue(number, !token.Text.Contains('.'), token.Position);
            case SoqlTokenKind.Date:
                if (!DateOnly.TryParseExact(token.Text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                    return Fail<Value>(token);
                return new DateValue(date, token.Position);
            case SoqlTokenKind.DateTime:
                if (!DateTimeOffset.TryParse(token.Text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
                    return Fail<Value>(token);
                return new DateTimeValue(time.UtcDateTime, token.Position);
            case SoqlTokenKind.Identifier:
                if (token.Is("NULL")) return new NullValue(token.Position);
                if (token.Is("TRUE")) return new BooleanValue(true, token.Position);
                if (token.Is("FALSE")) return new BooleanValue(false, token.Position);
                if (DateLiterals.IsParameterized(token.Text))
                {
                    if (!ExpectSymbol(":")) return null;
                    var n = ParseCount();
                    if (n is null) return null;
                    return new DateLiteralValue(token.Text.ToUpperInvariant(), n, token.Position);
                }
                if (DateLiterals.IsFixed(token.Text)) return new DateLiteralValue(token.Text.ToUpperInvariant(), null, token.Position);
                return Fail<Value>(token);
            default:
                return Fail<Value>(token);
        }
    }
}
