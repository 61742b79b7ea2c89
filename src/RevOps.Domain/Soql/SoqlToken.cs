namespace RevOps.Domain.Soql;

public enum SoqlTokenKind
{
    End,
    Identifier,
    String,
    Number,
    Date,
    DateTime,
    Symbol,
}

/// <summary>
/// One token of a SOQL text. <see cref="Value"/> is the unescaped string of a string literal;
/// <see cref="LikePattern"/> the same literal as a LIKE pattern with '\' as its escape character.
/// </summary>
public readonly record struct SoqlToken(SoqlTokenKind Kind, string Text, int Position, string? Value = null, string? LikePattern = null)
{
    public bool Is(string keyword) => Kind == SoqlTokenKind.Identifier && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);

    public bool IsSymbol(string symbol) => Kind == SoqlTokenKind.Symbol && Text == symbol;

    /// <summary>How Salesforce names the token in "unexpected token" messages.</summary>
    public string Display => Kind == SoqlTokenKind.End ? "<EOF>" : Text;
}
