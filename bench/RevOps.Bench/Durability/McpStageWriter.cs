using System.Text.Json;

namespace RevOps.Bench.Durability;

/// <summary>MCP `update_opportunity_stage`, cycling through the open stages: update k moves to Stages[k % 4], never the stage it is in.</summary>
public sealed class McpStageWriter(TenantRun tenant, int index) : OpportunityUpdateWriter(ChannelName, tenant, index)
{
    public const string ChannelName = "mcp_update_opportunity_stage";
    static readonly string[] Stages = ["Prospecting", "Qualification", "Needs Analysis", "Value Proposition"];

    protected override string Tool => "update_opportunity_stage";

    protected override void WriteArguments(Utf8JsonWriter w, int k) => w.WriteString("StageName", Expected(k));

    protected override void WriteInitialFields(Utf8JsonWriter w) => w.WriteString("StageName", Expected(0));

    protected override string Expected(int k) => Stages[k % Stages.Length];

    protected override string Current(JsonElement record) =>
        record.TryGetProperty("StageName", out var stage) && stage.ValueKind == JsonValueKind.String ? stage.GetString()! : "?";

    protected override string Changed(ChangeLine change) =>
        change.After("StageName") is { ValueKind: JsonValueKind.String } stage ? stage.GetString()! : "?";
}
