using RevOps.Domain.Forecasting;
using RevOps.Server.Forecasting;
using RevOps.Server.Mcp.Framework;
using static RevOps.Server.Mcp.Framework.ToolDefinition;

namespace RevOps.Server.Mcp.Tools;

/// <summary>forecast: what a period will close and how sure that is, with the open pipeline by stage.</summary>
public sealed class ForecastTools(ForecastService forecasts) : IToolArea
{
    public IEnumerable<CrmTool> Tools()
    {
        yield return Read("forecast", "Forecast",
            "What a period will close: committed (won), best case, weighted, expected with a P10–P90 range from the org's win model " +
            "(or stage probabilities; why says which), open pipeline by stage, deals with probability and drivers. E.g. {\"period\":\"NEXT_QUARTER\",\"ownerId\":\"me\"}",
            new ToolSchema()
                .Param("period", "string", "THIS_QUARTER (default), NEXT_QUARTER, THIS_MONTH, NEXT_MONTH…; or from and to.")
                .Param("from", "string", null)
                .Param("to", "string", null)
                .Param("ownerId", "string", "\"me\" or a User Id."),
            async (caller, args, ct) =>
            {
                var period = args.String("period");
                var from = args.String("from");
                var to = args.String("to");
                var ownerId = args.String("ownerId");
                foreach (var error in new[] { period.Error, from.Error, to.Error, ownerId.Error })
                    if (error is not null) return ToolResults.Error(error);
                var forecast = await forecasts.ForecastAsync(caller, period.Value, from.Value, to.Value, ownerId.Value, ct);
                return forecast.IsOk ? ToolResults.FromJson(w => ForecastJson.Write(w, forecast.Value)) : ToolResults.Error(forecast.Error);
            });
    }
}
