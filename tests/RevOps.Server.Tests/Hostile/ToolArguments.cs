using System.Text.Json.Nodes;

namespace RevOps.Server.Tests.Hostile;

/// <summary>
/// Valid-looking base arguments for any tool: a few tools need arguments that fit together
/// (a small table); every other tool gets its required parameters filled from its inputSchema.
/// </summary>
public static class ToolArguments
{
    /// <summary>A well-formed Contact Id that is never issued.</summary>
    public const string NoContact = "003000000000001AAA";

    static readonly Dictionary<string, Func<JsonObject>> Table = new(StringComparer.Ordinal)
    {
        ["create_record"] = () => new JsonObject { ["object"] = "Contact", ["fields"] = new JsonObject { ["LastName"] = "Probe" } },
        ["update_record"] = () => new JsonObject { ["Id"] = NoContact, ["fields"] = new JsonObject { ["LastName"] = "Hacked" } },
        ["bulk_write"] = () => new JsonObject { ["object"] = "Contact", ["operation"] = "update", ["records"] = new JsonArray(new JsonObject { ["Id"] = NoContact, ["LastName"] = "Hacked" }) },
        ["merge_records"] = () => new JsonObject { ["object"] = "Contact", ["master_id"] = NoContact, ["duplicate_ids"] = new JsonArray("003000000000002AAA") },
        ["define_custom_field"] = () => new JsonObject { ["object"] = "Contact", ["api_name"] = "Probe__c", ["type"] = "Text" },
        ["soql_query"] = () => new JsonObject { ["query"] = "SELECT Id, Name FROM Contact" },
        ["search_crm"] = () => new JsonObject { ["text"] = "Ada" },
        ["find_records"] = () => new JsonObject { ["object"] = "Contact" },
        ["create_opportunity"] = () => new JsonObject { ["Name"] = "Probe", ["StageName"] = "Prospecting", ["CloseDate"] = "2026-12-31" },
    };

    public static JsonObject Base(DiscoveredTool tool)
    {
        if (Table.TryGetValue(tool.Name, out var build)) return build();
        var arguments = new JsonObject();
        foreach (var parameter in tool.Parameters.Where(p => p.Required)) arguments[parameter.Name] = FromSchema(parameter);
        return arguments;
    }

    /// <summary>A plausible value of the parameter's declared type.</summary>
    public static JsonNode FromSchema(ToolParameter parameter) => parameter switch
    {
        { Allowed.Count: > 0 } => parameter.Allowed.Contains("Contact") ? "Contact" : parameter.Allowed[0],
        { Type: "string" } when parameter.TakesIds => NoContact,
        { Type: "string" } when parameter.Name is "object" => "Contact",
        { Type: "string" } => "Probe",
        { Type: "integer" or "number" } => 1,
        { Type: "boolean" } => false,
        { Type: "array" } => new JsonArray(),
        _ => new JsonObject(),
    };
}
