using RevOps.Domain.Errors;

namespace RevOps.Domain.Soql;

/// <summary>SOQL errors in Salesforce's shape: the offending line, a caret under the column, "ERROR at Row:r:Column:c", then the reason.</summary>
public static class SoqlErrors
{
    public static CrmError At(string soql, int position, string code, string message, string? field = null)
    {
        // A query built from another language's tree (GraphQL) has no SOQL text to point into.
        if (soql.Length == 0) return new CrmError(code, message, field);
        position = Math.Clamp(position, 0, soql.Length);
        int lineStart = position == 0 ? 0 : soql.LastIndexOf('\n', position - 1) + 1;
        int lineEnd = soql.IndexOf('\n', position);
        if (lineEnd < 0) lineEnd = soql.Length;
        int row = 1;
        for (int i = 0; i < lineStart; i++)
            if (soql[i] == '\n') row++;
        int column = position - lineStart + 1;
        string line = soql[lineStart..lineEnd].TrimEnd('\r');
        return new CrmError(code, $"\n{line}\n{new string(' ', column - 1)}^\nERROR at Row:{row}:Column:{column}\n{message}", field);
    }

    public static CrmError Unexpected(string soql, SoqlToken token) =>
        At(soql, token.Position, ErrorCodes.MalformedQuery, $"unexpected token: '{token.Display}'");

    public static CrmError NoSuchColumn(string soql, int position, string name, string entity) =>
        At(soql, position, ErrorCodes.InvalidField,
            $"No such column '{name}' on entity '{entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
            name);

    public static CrmError NoSuchRelationship(string soql, int position, string name, string entity) =>
        At(soql, position, ErrorCodes.InvalidField,
            $"Didn't understand relationship '{name}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.",
            name);
}
