using System.Globalization;
using System.Text.Json;
using RevOps.Domain.Forecasting;
using RevOps.Domain.Pipeline;

namespace RevOps.Server.Forecasting;

/// <summary>
/// A forecast as the forecast tool and GET /api/forecast answer it: the totals first, then which probabilities were used
/// and why, the open pipeline by stage, and the deals whose outcome moves the total most. Money in cents, probabilities in
/// thousandths.
/// </summary>
public static class ForecastJson
{
    public static void Write(Utf8JsonWriter w, Forecast f)
    {
        w.WriteStartObject();
        w.WriteStartObject("period");
        w.WriteString("from", Day(f.From));
        w.WriteString("to", Day(f.To));
        w.WriteEndObject();
        if (f.OwnerId is not null) w.WriteString("ownerId", f.OwnerId);
        w.WriteStartObject("committed");
        w.WriteNumber("count", f.Committed.Count);
        w.WriteNumber("amount", Money(f.Committed.Amount));
        w.WriteEndObject();
        w.WriteNumber("bestCase", Money(f.BestCase));
        w.WriteNumber("weighted", Money(f.Weighted));
        w.WriteNumber("expected", Money(f.Expected));
        w.WriteStartObject("range");
        w.WriteNumber("p10", Money(f.Range.P10));
        w.WriteNumber("p50", Money(f.Range.P50));
        w.WriteNumber("p90", Money(f.Range.P90));
        w.WriteEndObject();
        w.WriteString("model", f.Model.Name);
        if (f.Model.Why is not null) w.WriteString("why", f.Model.Why);
        if (f.Model.Trained is { } trained)
        {
            w.WriteStartObject("trained");
            w.WriteString("at", trained.TrainedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            w.WriteNumber("closedDeals", trained.ClosedDeals);
            w.WriteNumber("heldOut", trained.Holdout);
            w.WriteNumber("brier", Math.Round(trained.ModelBrier, 4));
            w.WriteNumber("stageBrier", Math.Round(trained.BaselineBrier, 4));
            w.WriteEndObject();
        }
        w.WriteStartObject("open");
        w.WriteNumber("count", f.Open.Count);
        w.WriteNumber("amount", Money(f.Open.Amount));
        w.WriteNumber("weightedAmount", Money(f.Open.WeightedAmount));
        w.WriteEndObject();
        w.WriteStartArray("byStage");
        foreach (var bucket in f.ByStage) Bucket(w, bucket);
        w.WriteEndArray();
        w.WriteStartArray("deals");
        foreach (var deal in f.Deals) Deal(w, deal);
        w.WriteEndArray();
        if (f.DealsLeftOut > 0)
            w.WriteString("note", $"{f.DealsLeftOut} more open deals are in the totals but not listed; the {f.Deals.Count} listed move the total most (Amount × uncertainty). Narrow with ownerId or a shorter period.");
        w.WriteEndObject();
    }

    static void Deal(Utf8JsonWriter w, DealForecast d)
    {
        w.WriteStartObject();
        w.WriteString("Id", d.Id);
        if (d.Name is not null) w.WriteString("Name", d.Name);
        w.WriteNumber("Amount", Money(d.Amount));
        w.WriteString("StageName", d.StageName);
        w.WriteString("CloseDate", Day(d.CloseDate));
        if (d.OwnerId is not null) w.WriteString("OwnerId", d.OwnerId);
        w.WriteNumber("probability", Math.Round(d.Probability, 3));
        if (d.Drivers.Count > 0)
        {
            w.WriteStartArray("drivers");
            foreach (var driver in d.Drivers)
            {
                w.WriteStartObject();
                w.WriteString("feature", driver.Feature);
                w.WriteNumber("effect", Math.Round(driver.Effect, 3));
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    static void Bucket(Utf8JsonWriter w, PipelineBucket bucket)
    {
        w.WriteStartObject();
        w.WriteString("stage", bucket.Key);
        w.WriteNumber("count", bucket.Count);
        w.WriteNumber("amount", Money(bucket.Amount));
        w.WriteNumber("weightedAmount", Money(bucket.WeightedAmount));
        w.WriteEndObject();
    }

    static double Money(double amount) => Math.Round(amount, 2);

    static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
