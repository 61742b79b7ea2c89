using System.Text.Json;
using System.Text.Json.Nodes;
using RevOps.Domain.Usage;
using RevOps.Server.Json;
using RevOps.Server.Usage;
using static RevOps.Server.Mcp.Framework.ToolDefinition;
using RevOps.Server.Mcp.Framework;

namespace RevOps.Server.Mcp.Tools;

/// <summary>get_usage: the caller's own tenant's usage and invoice preview, as GET /api/usage gives it.</summary>
public sealed class UsageTools(UsageService usage) : IToolArea
{
    public IEnumerable<CrmTool> Tools()
    {
        yield return Read("get_usage", "Get usage and invoice preview",
            "This org's API usage over a period: requests, successes, errors and p50/p95 latency in total, per tool or REST endpoint, and " +
            "per day, with an invoice preview (base fee plus requests, from the server's price book). Defaults to the current calendar " +
            "month (UTC). Counts lag by up to a second.",
            new ToolSchema()
                .Param("from", "string", "First day, e.g. \"2026-11-01\", or a month, e.g. \"2026-11\" (default: first day of this month, UTC).")
                .Param("to", "string", "Last day, e.g. \"2026-11-30\", or a month, e.g. \"2026-11\" for its last day (default: last day of from's month or this month)."),
            async (caller, args, ct) =>
            {
                var from = args.String("from");
                if (!from.IsOk) return ToolResults.Error(from.Error);
                var to = args.String("to");
                if (!to.IsOk) return ToolResults.Error(to.Error);
                var statement = await usage.GetAsync(caller.Tenant, from.Value, to.Value, ct);
                return statement.IsOk ? ToolResults.FromJson(w => UsageJson.Write(w, statement.Value)) : ToolResults.Error(statement.Error);
            },
            Output);
    }

    static readonly JsonElement Output = BuildOutput();

    static JsonElement BuildOutput()
    {
        static JsonObject Figures(string? key)
        {
            var properties = new JsonObject
            {
                ["requests"] = new JsonObject { ["type"] = "integer" },
                ["successes"] = new JsonObject { ["type"] = "integer" },
                ["errors"] = new JsonObject { ["type"] = "integer" },
                ["avg_ms"] = new JsonObject { ["type"] = "number" },
                ["p50_ms"] = new JsonObject { ["type"] = new JsonArray("number", "null"), ["description"] = "Upper bound of the median's latency bucket." },
                ["p95_ms"] = new JsonObject { ["type"] = new JsonArray("number", "null"), ["description"] = "Upper bound of the 95th percentile's latency bucket." },
            };
            if (key is not null) properties[key] = new JsonObject { ["type"] = "string" };
            return new JsonObject { ["type"] = "object", ["properties"] = properties };
        }
        var schema = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["tenant_id"] = new JsonObject { ["type"] = "string" },
                ["tier"] = new JsonObject { ["type"] = "string" },
                ["period"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["from"] = new JsonObject { ["type"] = "string" }, ["to"] = new JsonObject { ["type"] = "string" } } },
                ["totals"] = Figures(null),
                ["by_tool"] = new JsonObject { ["type"] = "array", ["items"] = Figures("tool") },
                ["by_day"] = new JsonObject { ["type"] = "array", ["items"] = Figures("day") },
                ["invoice"] = new JsonObject
                {
                    ["type"] = "object",
                    ["description"] = "Money in currency units, each line rounded to cents half away from zero; total = sum of the lines.",
                    ["properties"] = new JsonObject
                    {
                        ["currency"] = new JsonObject { ["type"] = "string" },
                        ["line_items"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "object" } },
                        ["total"] = new JsonObject { ["type"] = "number" },
                    },
                },
                ["note"] = new JsonObject { ["type"] = "string" },
            },
            ["required"] = new JsonArray("tenant_id", "period", "totals", "by_tool", "by_day", "invoice"),
        };
        return JsonSerializer.SerializeToElement(schema, ServerJson.Default.JsonObject);
    }
}
