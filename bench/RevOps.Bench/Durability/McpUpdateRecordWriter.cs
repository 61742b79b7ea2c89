using System.Globalization;
using System.Text.Json;

namespace RevOps.Bench.Durability;

/// <summary>
/// MCP `update_record` setting two fields together (Amount = k, NextStep = "step k"): a torn
/// update would show them from different k.
/// </summary>
public sealed class McpUpdateRecordWriter(TenantRun tenant, int index) : OpportunityUpdateWriter(ChannelName, tenant, index)
{
    public const string ChannelName = "mcp_update_record";

    protected override string Tool => "update_record";

    protected override void WriteArguments(Utf8JsonWriter w, int k)
    {
        w.WriteStartObject("fields");
        w.WriteNumber("Amount", k);
        w.WriteString("NextStep", $"step {k}");
        w.WriteEndObject();
    }

    protected override void WriteInitialFields(Utf8JsonWriter w)
    {
        w.WriteString("StageName", "Prospecting");
        w.WriteNumber("Amount", 0);
        w.WriteString("NextStep", "step 0");
    }

    protected override string Expected(int k) => $"{k}|step {k}";

    protected override string Current(JsonElement record) => $"{Number(Field(record, "Amount"))}|{Text(Field(record, "NextStep"))}";

    protected override string Changed(ChangeLine change) => $"{Number(change.After("Amount"))}|{Text(change.After("NextStep"))}";

    static JsonElement Field(JsonElement record, string name) => record.TryGetProperty(name, out var value) ? value : default;

    static string Number(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? value.GetDecimal().ToString("0.##", CultureInfo.InvariantCulture) : "?";

    static string Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : "?";
}
