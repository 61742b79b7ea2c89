using System.Text;
using System.Text.Json;
using RevOps.Domain.Errors;
using RevOps.Domain.Soql;

namespace RevOps.Domain.Automation;

/// <summary>
/// A rule's condition: a SOQL WHERE expression over the record, plus ISCHANGED(Field) and
/// PRIORVALUE(Field) = value, which read the change that started the run. Those two are answered from the
/// change row and written into the text as an always-true or always-false comparison (PRIORVALUE of a
/// field the change did not touch is the field itself), as is a plain comparison of a field the change
/// touched (its value as the change left it); the rest is checked by SOQL against the record,
/// as one query "… WHERE Id = '…' AND (condition)" that also reads the merge fields. The text stays inside
/// its parentheses (a closing one that was never opened is refused), so a condition cannot widen the query.
/// </summary>
public static class RuleCondition
{
    public const int MaxLength = 4000;
    const string True = "(Id != null)";
    const string False = "(Id = null)";

    /// <summary>What the change says about a field: whether it changed, and its value before.</summary>
    public interface IChange
    {
        bool Changed(string field);
        JsonElement Before(string field);
        JsonElement After(string field);
    }

    /// <summary>The fields ISCHANGED and PRIORVALUE name, for checking against the schema.</summary>
    public static CrmResult<IReadOnlyList<string>> FunctionFields(string condition)
    {
        var tokens = Tokens(condition);
        if (!tokens.IsOk) return tokens.Error;
        var fields = new List<string>();
        var t = tokens.Value;
        for (int i = 0; i < t.Count; i++)
            if (IsFunction(t, i)) fields.Add(t[i + 2].Text);
        return fields;
    }

    /// <summary>The condition with ISCHANGED and PRIORVALUE answered from <paramref name="change"/>, ready for SOQL.</summary>
    public static CrmResult<string> Resolve(string condition, IChange change)
    {
        var tokens = Tokens(condition);
        if (!tokens.IsOk) return tokens.Error;
        var t = tokens.Value;
        var text = new StringBuilder();
        int copied = 0;
        for (int i = 0; i < t.Count; i++)
        {
            if (IsTouchedComparison(t, i, change) is { } holds)
            {
                // A field the change touched is compared as the change left it, not as the record stands by the time the rule runs.
                text.Append(condition, copied, t[i].Position - copied);
                text.Append(holds ? True : False);
                copied = t[i + 2].Position + t[i + 2].Text.Length;
                i += 2;
                continue;
            }
            if (!IsFunction(t, i)) continue;
            string field = t[i + 2].Text;
            text.Append(condition, copied, t[i].Position - copied);
            if (t[i].Is("ISCHANGED"))
            {
                text.Append(change.Changed(field) ? True : False);
                copied = t[i + 3].Position + 1;
                i += 3;
                continue;
            }
            // PRIORVALUE(Field) op value
            if (i + 5 >= t.Count || !(t[i + 4].IsSymbol("=") || t[i + 4].IsSymbol("!=") || t[i + 4].IsSymbol("<>")) || !IsSingleValue(t[i + 5]))
                return Error($"PRIORVALUE({field}) must be compared with = or != to one value, e.g. PRIORVALUE({field}) = 'Prospecting'.");
            if (!change.Changed(field))
            {
                text.Append(field).Append(' ');
                copied = t[i + 4].Position;
            }
            else
            {
                bool equal = SameValue(change.Before(field), t[i + 5]);
                text.Append(equal == t[i + 4].IsSymbol("=") ? True : False);
                copied = t[i + 5].Position + t[i + 5].Text.Length;
            }
            i += 5;
        }
        text.Append(condition, copied, condition.Length - copied);
        return text.ToString();
    }

    static CrmResult<List<SoqlToken>> Tokens(string condition)
    {
        if (condition.Length > MaxLength) return Error($"the condition has {condition.Length:N0} characters; at most {MaxLength:N0} are allowed.");
        if (!SoqlLexer.TryTokenize(condition, out var tokens, out int at))
            return Error($"unexpected character at position {at}: '{condition[at]}'. Write a SOQL WHERE expression, e.g. IsWon = true AND ISCHANGED(StageName).");
        int depth = 0;
        foreach (var token in tokens)
        {
            if (token.IsSymbol("(")) depth++;
            else if (token.IsSymbol(")") && --depth < 0)
                return Error($"the ')' at position {token.Position} closes nothing. A condition is one WHERE expression with balanced parentheses.");
            else if (token.Is("SELECT") || token.Is("LIMIT") || token.Is("ORDER") || token.Is("GROUP") || token.Is("OFFSET") || token.Is("FROM"))
                return Error($"'{token.Text}' at position {token.Position} cannot appear in a condition; write only a WHERE expression, e.g. Amount > 10000.");
        }
        if (depth != 0) return Error("the condition opens more parentheses than it closes.");
        return tokens;
    }

    static bool IsFunction(List<SoqlToken> t, int i) =>
        (t[i].Is("ISCHANGED") || t[i].Is("PRIORVALUE")) && i + 3 < t.Count && t[i + 1].IsSymbol("(")
        && t[i + 2].Kind == SoqlTokenKind.Identifier && t[i + 3].IsSymbol(")");

    static readonly string[] Keywords = ["AND", "OR", "NOT", "ISCHANGED", "PRIORVALUE", "true", "false", "null", "IN", "LIKE", "INCLUDES", "EXCLUDES"];

    /// <summary>Field op value where the change touched Field and the answer is plain: =, != to one value, or an order between numbers. Null otherwise.</summary>
    static bool? IsTouchedComparison(List<SoqlToken> t, int i, IChange change)
    {
        if (t[i].Kind != SoqlTokenKind.Identifier || Keywords.Any(t[i].Is) || i + 2 >= t.Count) return null;
        if (i > 0 && t[i - 1].IsSymbol(".") || t[i + 1].IsSymbol(".") || t[i + 1].IsSymbol("(")) return null;
        if (t[i + 1].Kind != SoqlTokenKind.Symbol || !IsSingleValue(t[i + 2]) || !change.Changed(t[i].Text)) return null;
        var after = change.After(t[i].Text);
        string op = t[i + 1].Text;
        if (op is "=" or "!=" or "<>") return SameValue(after, t[i + 2]) == (op == "=");
        if (op is "<" or ">" or "<=" or ">=" && t[i + 2].Kind == SoqlTokenKind.Number && after.ValueKind == JsonValueKind.Number
            && decimal.TryParse(t[i + 2].Text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n) && after.TryGetDecimal(out var a))
            return op switch { "<" => a < n, ">" => a > n, "<=" => a <= n, _ => a >= n };
        return null;
    }

    static bool IsSingleValue(SoqlToken token) =>
        token.Kind is SoqlTokenKind.String or SoqlTokenKind.Number || token.Is("true") || token.Is("false") || token.Is("null");

    static bool SameValue(JsonElement before, SoqlToken literal)
    {
        if (literal.Is("null")) return before.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined;
        if (literal.Is("true") || literal.Is("false")) return before.ValueKind is JsonValueKind.True or JsonValueKind.False && before.GetBoolean() == literal.Is("true");
        if (literal.Kind == SoqlTokenKind.Number)
            return before.ValueKind == JsonValueKind.Number && decimal.TryParse(literal.Text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n)
                && before.TryGetDecimal(out var b) && b == n;
        return before.ValueKind == JsonValueKind.String && string.Equals(before.GetString(), literal.Value, StringComparison.OrdinalIgnoreCase);
    }

    static CrmError Error(string message) => new(ErrorCodes.InvalidArgument, "condition: " + message, "condition");
}
