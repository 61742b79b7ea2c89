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
            "Pipeline totals: open deals by stage and close month (count, amount, probability-weighted), won and lost in the period (default this quarter); " +
            "narrowed by account, close window, owner and stages; top lists the biggest open deals. E.g. {\"closeFrom\":\"THIS_QUARTER\",\"ownerId\":\"me\",\"top\":5}",
            new ToolSchema()
                .Param("accountId", "string", null)
                .Param("from", "string", "Won/lost period start (YYYY-MM-DD).")
                .Param("to", "string", "Won/lost period end.")
                .Param("closeFrom", "string", "YYYY-MM-DD or a SOQL date literal (alone: its whole range).")
                .Param("closeTo", "string", null)
                .Param("ownerId", "string", "\"me\" or a User Id.")
                .Param("stages", "array", null, items: "string")
                .Param("top", "integer", null, minimum: 0, maximum: PipelineOptions.MaxTop),
            async (caller, args, ct) =>
            {
                var accountId = args.String("accountId");
                if (!accountId.IsOk) return ToolResults.Error(accountId.Error);
                var from = args.String("from");
                if (!from.IsOk) return ToolResults.Error(from.Error);
                var to = args.String("to");
                if (!to.IsOk) return ToolResults.Error(to.Error);
                var closeFrom = args.String("closeFrom");
                var closeTo = args.String("closeTo");
                var ownerId = args.String("ownerId");
                var stages = args.StringList("stages");
                var top = args.Int("top", 0);
                foreach (var error in new[] { closeFrom.Error, closeTo.Error, ownerId.Error, stages.Error, top.Error })
                    if (error is not null) return ToolResults.Error(error);
                var options = new PipelineOptions(closeFrom.Value, closeTo.Value, ownerId.Value, stages.Value, top.Value);
                var summary = await pipeline.SummarizeAsync(caller, accountId.Value, from.Value, to.Value, options, ct);
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
        if (s.Filter.OwnerId is not null) w.WriteString("ownerId", s.Filter.OwnerId);
        if (s.Filter.CloseFrom is { } closeFrom) w.WriteString("closeFrom", Day(closeFrom));
        if (s.Filter.CloseTo is { } closeTo) w.WriteString("closeTo", Day(closeTo));
        if (s.Filter.Stages is { } stages)
        {
            w.WriteStartArray("stages");
            foreach (var stage in stages) w.WriteStringValue(stage);
            w.WriteEndArray();
        }
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
        if (s.TopDeals is { } deals)
        {
            w.WriteStartArray("topDeals");
            foreach (var deal in deals)
            {
                w.WriteStartObject();
                w.WriteString("Id", deal.Id);
                w.WriteString("Name", deal.Name);
                w.WriteNumber("Amount", Math.Round(deal.Amount, 2));
                w.WriteString("StageName", deal.StageName);
                if (deal.CloseDate is { } close) w.WriteString("CloseDate", Day(close));
                if (deal.OwnerId is not null)
                {
                    w.WriteStartObject("Owner");
                    w.WriteString("Id", deal.OwnerId);
                    w.WriteString("Name", deal.OwnerName);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

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
