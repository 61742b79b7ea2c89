using System.Globalization;
using System.Text.Json;
using RevOps.Domain.Pipeline;
using static RevOps.Server.Mcp.Framework.ToolDefinition;
using RevOps.Server.Mcp.Framework;

namespace RevOps.Server.Mcp.Tools;

/// <summary>pipeline_summary: the open pipeline and the period's wins and losses, summed in the database.</summary>
public sealed class PipelineTools(PipelineService pipeline) : IToolArea
{
    public IEnumerable<CrmTool> Tools()
    {
        yield return Read("pipeline_summary", "Pipeline summary",
            "Totals of the sales pipeline: open opportunities by stage (in sales-process order) and by close month, each with count, " +
            "amount and probability-weighted amount (Amount × Probability / 100), plus opportunities won and lost with a CloseDate in " +
            "the period. Use it for questions about the pipeline, forecast or results as a whole (of the org or one account); to " +
            "list or find individual opportunities use search_opportunities or search_crm. Deleted opportunities are not counted.",
            new ToolSchema()
                .Param("accountId", "string", "Only this Account's opportunities, e.g. \"001…\" from search_accounts.")
                .Param("from", "string", "First CloseDate of the won/lost period, e.g. \"2026-10-01\" (default: first day of the current calendar quarter, UTC).")
                .Param("to", "string", "Last CloseDate of the won/lost period, e.g. \"2026-12-31\" (default: last day of the current calendar quarter, UTC)."),
            async (caller, args, ct) =>
            {
                var accountId = args.String("accountId");
                if (!accountId.IsOk) return ToolResults.Error(accountId.Error);
                var from = args.String("from");
                if (!from.IsOk) return ToolResults.Error(from.Error);
                var to = args.String("to");
                if (!to.IsOk) return ToolResults.Error(to.Error);
                var summary = await pipeline.SummarizeAsync(caller, accountId.Value, from.Value, to.Value, ct);
                return summary.IsOk ? ToolResults.FromJson(w => Write(w, summary.Value)) : ToolResults.Error(summary.Error);
            });
    }

    /// <summary>
    /// {"accountId"?, "period": {"from", "to"}, "open": {count, amount, weightedAmount},
    ///  "byStage": [{"stage", …}], "byCloseMonth": [{"month", …}], "won": {count, amount}, "lost": {count, amount}}.
    /// Money is rounded to cents.
    /// </summary>
    static void Write(Utf8JsonWriter w, PipelineSummary s)
    {
        w.WriteStartObject();
        if (s.AccountId is not null) w.WriteString("accountId", s.AccountId);
        w.WriteStartObject("period");
        w.WriteString("from", s.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        w.WriteString("to", s.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        w.WriteEndObject();
        w.WritePropertyName("open");
        Bucket(w, null, null, s.Open, weighted: true);
        w.WriteStartArray("byStage");
        foreach (var bucket in s.ByStage) Bucket(w, "stage", bucket.Key, bucket, weighted: true);
        w.WriteEndArray();
        w.WriteStartArray("byCloseMonth");
        foreach (var bucket in s.ByCloseMonth) Bucket(w, "month", bucket.Key, bucket, weighted: true);
        w.WriteEndArray();
        w.WritePropertyName("won");
        Bucket(w, null, null, s.Won, weighted: false);
        w.WritePropertyName("lost");
        Bucket(w, null, null, s.Lost, weighted: false);
        w.WriteEndObject();
    }

    static void Bucket(Utf8JsonWriter w, string? keyName, string? key, PipelineBucket bucket, bool weighted)
    {
        w.WriteStartObject();
        if (keyName is not null) w.WriteString(keyName, key);
        w.WriteNumber("count", bucket.Count);
        w.WriteNumber("amount", Math.Round(bucket.Amount, 2));
        if (weighted) w.WriteNumber("weightedAmount", Math.Round(bucket.WeightedAmount, 2));
        w.WriteEndObject();
    }
}
