using RevOps.Domain.Errors;
using RevOps.Domain.Rules;
using RevOps.Domain.Schema;

namespace RevOps.Server.Mcp.Framework;

/// <summary>The optional `fields` argument: which fields to return (Id always comes along), to keep results small.</summary>
public static class FieldSelection
{
    public const string Argument = "fields";

    public static ToolSchema FieldsParam(this ToolSchema schema) => schema.Param(Argument, "array",
        "Only these (audit fields too), e.g. [\"Name\"].", items: "string");

    /// <param name="computed">A value the tool adds beyond the stored fields (ContentVersion's TextContent), selectable by name.</param>
    public static CrmResult<IReadOnlySet<string>?> Read(ToolArguments args, ObjectSchema schema, string? computed = null)
    {
        var names = args.StringList(Argument);
        if (!names.IsOk) return names.Error;
        if (names.Value is null || names.Value.Count == 0) return CrmResult<IReadOnlySet<string>?>.Ok(null);
        var selected = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Id" };
        foreach (var name in names.Value)
        {
            if (computed is not null && string.Equals(name, computed, StringComparison.OrdinalIgnoreCase))
            {
                selected.Add(computed);
                continue;
            }
            if (!schema.TryGetField(name, out var field))
            {
                string? guess = Suggestions.Closest(name, schema.AllFields.Select(f => f.Name));
                return new CrmError(ErrorCodes.InvalidField,
                    $"fields: '{name}' is not a field on {schema.Object.Name}.{(guess is null ? "" : $" Did you mean '{guess}'?")} Call describe_object with object {schema.Object.Name} for the list.", Argument);
            }
            selected.Add(field.Name);
        }
        return selected;
    }
}
