namespace RevOps.Domain.Forecasting;

/// <summary>
/// What the win model sees of a deal as it stood at one moment: for an open deal, now; for a closed one, just before
/// the step that closed it, so nothing of the outcome leaks in. Only history up to that moment counts.
/// </summary>
public static class WinFeatures
{
    public static readonly IReadOnlyList<string> Names =
    [
        "stage_probability", "days_in_stage", "age_days", "log_amount", "activities", "days_since_activity", "stage_moves", "owner_win_rate",
    ];

    /// <summary>The length of every vector (the model's input is fixed at it).</summary>
    public const int Count = 8;

    /// <summary>The deal's stage at the moment: the last step's up to then, or its current stage when no step is recorded.</summary>
    public static string StageAt(DealHistory deal, DateTime at)
    {
        string? stage = null;
        foreach (var step in deal.Steps)
            if (step.At <= at) stage = step.To;
        return stage ?? deal.StageName;
    }

    /// <summary>The moment a closed deal is seen at for training: a tick before it closed; null when its closing is not in the history.</summary>
    public static DateTime? TrainingMoment(DealHistory deal) => deal.ClosingStep is { } close ? close.At.AddTicks(-1) : null;

    public static float[] At(DealHistory deal, DateTime at, double ownerWinRate)
    {
        var stage = StageAt(deal, at);
        var since = deal.CreatedAt;
        int moves = 0;
        foreach (var step in deal.Steps)
        {
            if (step.At > at) break;
            if (step.From is not null) { moves++; since = step.At; }
        }
        int activities = 0;
        DateTime? lastActivity = null;
        foreach (var activity in deal.Activities)
        {
            if (activity > at) continue;
            activities++;
            if (lastActivity is null || activity > lastActivity) lastActivity = activity;
        }
        double age = Days(deal.CreatedAt, at);
        return
        [
            (float)Stages.Probability(stage),
            (float)Days(since, at),
            (float)age,
            (float)Math.Log10(1 + Math.Max(0, deal.Amount)),
            activities,
            // A deal never worked is as cold as it is old.
            (float)(lastActivity is { } last ? Days(last, at) : age),
            moves,
            (float)ownerWinRate,
        ];
    }

    static double Days(DateTime from, DateTime to) => Math.Max(0, (to - from).TotalDays);
}

/// <summary>
/// Each owner's win rate, shrunk toward the whole team's so an owner with three deals is not called a 100% closer:
/// (won + k·team) / (closed + k) with k = 5.
/// </summary>
public sealed class OwnerRates(IReadOnlyDictionary<string, OwnerRecord> records)
{
    const double Weight = 5;
    readonly double _team = records.Values.Sum(r => r.Closed) is var closed and > 0 ? records.Values.Sum(r => r.Won) / (double)closed : 0.5;

    public static OwnerRates From(IEnumerable<DealHistory> closed)
    {
        var records = new Dictionary<string, OwnerRecord>(StringComparer.Ordinal);
        foreach (var deal in closed)
        {
            var key = deal.OwnerId ?? "";
            var r = records.GetValueOrDefault(key) ?? new OwnerRecord(0, 0);
            records[key] = new OwnerRecord(r.Won + (deal.IsWon ? 1 : 0), r.Closed + 1);
        }
        return new OwnerRates(records);
    }

    /// <param name="self">A closed deal counted in the records, left out of its own owner's rate (so training never sees its label).</param>
    public double Of(string? owner, DealHistory? self = null)
    {
        var r = records.GetValueOrDefault(owner ?? "") ?? new OwnerRecord(0, 0);
        int won = r.Won, closed = r.Closed;
        if (self is { IsClosed: true } && closed > 0) { closed--; if (self.IsWon) won--; }
        return (won + Weight * _team) / (closed + Weight);
    }
}
