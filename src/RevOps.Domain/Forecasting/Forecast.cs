using RevOps.Domain.Pipeline;

namespace RevOps.Domain.Forecasting;

/// <summary>
/// What a period will close: Committed (won, CloseDate in the period), BestCase (committed and every open deal closing
/// in it), Weighted (committed and the open deals' Amount × Probability), Expected (committed and the open deals' Amount ×
/// win probability, from the tenant's model or the stage probabilities) with its P10–P90 range.
/// </summary>
public sealed record Forecast(
    DateOnly From,
    DateOnly To,
    string? OwnerId,
    ForecastModelUse Model,
    PipelineBucket Committed,
    PipelineBucket Open,
    double BestCase,
    double Weighted,
    double Expected,
    (double P10, double P50, double P90) Range,
    IReadOnlyList<PipelineBucket> ByStage,
    IReadOnlyList<DealForecast> Deals,
    int DealsLeftOut);

/// <summary>Which probabilities were used and why: "model" (with how it scored) or "stage-probabilities" (Why says why not the model).</summary>
public sealed record ForecastModelUse(string Name, string? Why, StoredWinModel? Trained)
{
    public const string ModelName = "model";
    public const string Baseline = "stage-probabilities";
}

/// <summary>An open deal of the period with its win probability and, from the model, what moves it most.</summary>
public sealed record DealForecast(string Id, string? Name, double Amount, string StageName, DateOnly CloseDate, string? OwnerId, double Probability,
    IReadOnlyList<Driver> Drivers);

/// <summary>How much the probability would drop (negative: rise) if this feature were the training average instead of the deal's.</summary>
public sealed record Driver(string Feature, double Effect);
