using System.Text;

namespace RevOps.Domain.Soql;

/// <summary>Splits a SOQL text into tokens; a character that starts no token is reported by position.</summary>
public static class SoqlLexer
{
    public static bool TryTokenize(string text, out List<SoqlToken> tokens, out int errorPosition)
    {
        tokens = [];
        errorPosition = -1;
        int i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (i >= text.Length)
            {
                tokens.Add(new SoqlToken(SoqlTokenKind.End, "", text.Length));
                return true;
            }
            char c = text[i];
            int start = i;
            if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_')) i++;
                tokens.Add(new SoqlToken(SoqlTokenKind.Identifier, text[start..i], start));
            }
            else if (char.IsAsciiDigit(c) || ((c == '-' || c == '+') && i + 1 < text.Length && (char.IsAsciiDigit(text[i + 1]) || text[i + 1] == '.')) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                if (TryDate(text, i, out int dateEnd, out bool hasTime))
                {
                    tokens.Add(new SoqlToken(hasTime ? SoqlTokenKind.DateTime : SoqlTokenKind.Date, text[i..dateEnd], start));
                    i = dateEnd;
                    continue;
                }
                if (c is '-' or '+') i++;
                while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
                if (i < text.Length && text[i] == '.')
                {
                    i++;
                    while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
                }
                if (i < text.Length && (char.IsAsciiLetter(text[i]) || text[i] == '_'))
                {
                    errorPosition = start;
                    return false;
                }
                tokens.Add(new SoqlToken(SoqlTokenKind.Number, text[start..i], start));
            }
            else if (c == '\'')
            {
                if (!TryString(text, ref i, out string value, out string like))
                {
                    errorPosition = start;
                    return false;
                }
                tokens.Add(new SoqlToken(SoqlTokenKind.String, text[start..i], start, value, like));
            }
            else
            {
                string? symbol = c switch
                {
                    '!' when Next(text, i) == '=' => "!=",
                    '<' when Next(text, i) == '>' => "<>",
                    '<' when Next(text, i) == '=' => "<=",
                    '>' when Next(text, i) == '=' => ">=",
                    '(' or ')' or ',' or '.' or ':' or '=' or '<' or '>' => c.ToString(),
                    _ => null,
                };
                if (symbol is null)
                {
                    errorPosition = start;
                    return false;
                }
                i += symbol.Length;
                tokens.Add(new SoqlToken(SoqlTokenKind.Symbol, symbol, start));
            }
        }
    }

    static char Next(string text, int i) => i + 1 < text.Length ? text[i + 1] : '\0';

    /// <summary>YYYY-MM-DD, optionally followed by Thh:mm:ss[.fff](Z|±hh:mm|±hhmm).</summary>
    static bool TryDate(string text, int i, out int end, out bool hasTime)
    {
        end = i;
        hasTime = false;
        if (!Digits(text, i, 4) || At(text, i + 4) != '-' || !Digits(text, i + 5, 2) || At(text, i + 7) != '-' || !Digits(text, i + 8, 2)) return false;
        end = i + 10;
        if (At(text, end) != 'T' && At(text, end) != 't') return true;
        int t = end + 1;
        if (!Digits(text, t, 2) || At(text, t + 2) != ':' || !Digits(text, t + 3, 2) || At(text, t + 5) != ':' || !Digits(text, t + 6, 2)) return true;
        t += 8;
        if (At(text, t) == '.')
        {
            t++;
            while (char.IsAsciiDigit(At(text, t))) t++;
        }
        char zone = At(text, t);
        if (zone is 'Z' or 'z') t++;
        else if (zone is '+' or '-' && Digits(text, t + 1, 2))
        {
            t += 3;
            if (At(text, t) == ':') t++;
            if (!Digits(text, t, 2)) return true;
            t += 2;
        }
        else return true; // A datetime needs its zone: leave the T… to fail as an unexpected token.
        end = t;
        hasTime = true;
        return true;
    }

    static char At(string text, int i) => i < text.Length ? text[i] : '\0';

    static bool Digits(string text, int i, int count)
    {
        if (i + count > text.Length) return false;
        for (int k = i; k < i + count; k++)
            if (!char.IsAsciiDigit(text[k])) return false;
        return true;
    }

    /// <summary>A quoted string with SOQL's escapes; \% and \_ stay literal in the LIKE form.</summary>
    static bool TryString(string text, ref int i, out string value, out string like)
    {
        var plain = new StringBuilder();
        var pattern = new StringBuilder();
        i++;
        while (i < text.Length)
        {
            char c = text[i++];
            if (c == '\'')
            {
                value = plain.ToString();
                like = pattern.ToString();
                return true;
            }
            if (c != '\\')
            {
                plain.Append(c);
                pattern.Append(c == '\\' ? "\\\\" : c.ToString());
                continue;
            }
            if (i >= text.Length) break;
            char e = text[i++];
            char? unescaped = e switch
            {
                '\'' => '\'',
                '"' => '"',
                '\\' => '\\',
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                'b' => '\b',
                'f' => '\f',
                '%' => '%',
                '_' => '_',
                _ => null,
            };
            if (unescaped is not { } u) break;
            plain.Append(u);
            pattern.Append(u is '%' or '_' or '\\' ? "\\" + u : u.ToString());
        }
        value = like = "";
        return false;
    }
}
