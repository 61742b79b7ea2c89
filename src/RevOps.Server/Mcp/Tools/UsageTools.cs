using RevOps.Domain.Usage;
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
            "This org's API usage and invoice preview for a period (default this month, UTC): totals (requests, errors, p50/p95 ms) and the bill; " +
            "detail adds per-tool or per-day rows, e.g. {\"from\":\"2026-11\",\"detail\":\"tools\"}.",
            new ToolSchema()
                .Param("from", "string", "First day (YYYY-MM-DD) or a month (YYYY-MM).")
                .Param("to", "string", "Last day or month (default: the end of from's month).")
                .Param("detail", "string", null, allowed: ["totals", "tools", "days", "all"]),
            async (caller, args, ct) =>
            {
                var from = args.String("from");
                if (!from.IsOk) return ToolResults.Error(from.Error);
                var to = args.String("to");
                if (!to.IsOk) return ToolResults.Error(to.Error);
                var detail = args.String("detail");
                if (!detail.IsOk) return ToolResults.Error(detail.Error);
                UsageDetail? chosen = detail.Value?.Trim().ToLowerInvariant() switch
                {
                    null or "" or "totals" => UsageDetail.Totals,
                    "tools" => UsageDetail.Tools,
                    "days" => UsageDetail.Days,
                    "all" => UsageDetail.All,
                    _ => null,
                };
                if (chosen is not { } shown)
                    return ToolResults.Error(new Domain.Errors.CrmError(Domain.Errors.ErrorCodes.InvalidArgument,
                        $"detail must be totals, tools, days or all; got '{detail.Value}'.", "detail"));
                var statement = await usage.GetAsync(caller.Tenant, from.Value, to.Value, ct);
                return statement.IsOk ? ToolResults.FromJson(w => UsageJson.Write(w, statement.Value, shown)) : ToolResults.Error(statement.Error);
            });
    }
}
