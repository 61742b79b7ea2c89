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
/// (won + k·team) / (closed + k) with k = 5. Training gives each closed deal the rate of the deals closed before it only
/// (<see cref="Before"/>), so no deal's own outcome, nor a later one, is among its features.
/// </summary>
public sealed class OwnerRates(IReadOnlyDictionary<string, OwnerRecord> records)
{
    const double Weight = 5;
    readonly double _team = Team(records.Values.Sum(r => r.Won), records.Values.Sum(r => r.Closed));

    public double Of(string? owner)
    {
        var r = records.GetValueOrDefault(owner ?? "") ?? new OwnerRecord(0, 0);
        return Rate(r.Won, r.Closed, _team);
    }

    /// <summary>For closed deals in closing order: each one's owner rate from the deals before it in the list.</summary>
    public static double[] Before(IReadOnlyList<DealHistory> ordered)
    {
        var seen = new Dictionary<string, (int Won, int Closed)>(StringComparer.Ordinal);
        int teamWon = 0, teamClosed = 0;
        var rates = new double[ordered.Count];
        for (int i = 0; i < ordered.Count; i++)
        {
            var key = ordered[i].OwnerId ?? "";
            var (won, closed) = seen.GetValueOrDefault(key);
            rates[i] = Rate(won, closed, Team(teamWon, teamClosed));
            int w = ordered[i].IsWon ? 1 : 0;
            seen[key] = (won + w, closed + 1);
            teamWon += w;
            teamClosed++;
        }
        return rates;
    }

    static double Team(int won, int closed) => closed > 0 ? won / (double)closed : 0.5;

    static double Rate(int won, int closed, double team) => (won + Weight * team) / (closed + Weight);
}
