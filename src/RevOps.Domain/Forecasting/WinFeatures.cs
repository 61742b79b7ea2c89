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

    /// <summary>The deal's stage at the moment: the last step's up to then; before its first step, what that step changed; with no steps, its current stage.</summary>
    public static string StageAt(DealHistory deal, DateTime at)
    {
        if (deal.Steps.Count == 0) return deal.StageName;
        string stage = deal.Steps[0].From ?? deal.Steps[0].To;
        foreach (var step in deal.Steps)
            if (step.At <= at) stage = step.To;
        return stage;
    }

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
    readonly double _team = Team(records.Values.Sum(r => r.Won), records.Values.Sum(r => r.Closed));

    public double Of(string? owner)
    {
        var r = records.GetValueOrDefault(owner ?? "") ?? new OwnerRecord(0, 0);
        return Rate(r.Won, r.Closed, _team);
    }

    /// <summary>Each owner's rate as it stood at a moment: from the deals closed before it only, so no deal's own outcome, nor a later one, is among its features.</summary>
    public static Func<string?, DateTime, double> AsOf(IReadOnlyList<DealHistory> closed)
    {
        var byOwner = closed.GroupBy(d => d.OwnerId ?? "", StringComparer.Ordinal).ToDictionary(g => g.Key, g => Timeline(g), StringComparer.Ordinal);
        var team = Timeline(closed);
        return (owner, at) =>
        {
            var (teamWon, teamClosed) = Count(team, at);
            var (won, count) = byOwner.TryGetValue(owner ?? "", out var line) ? Count(line, at) : (0, 0);
            return Rate(won, count, Team(teamWon, teamClosed));
        };
    }

    /// <summary>Close times in order with the wins up to each.</summary>
    static (DateTime[] At, int[] WonSoFar) Timeline(IEnumerable<DealHistory> closed)
    {
        var ordered = closed.OrderBy(d => d.ClosingStep!.At).ToArray();
        var won = new int[ordered.Length];
        for (int i = 0; i < ordered.Length; i++) won[i] = (i > 0 ? won[i - 1] : 0) + (ordered[i].IsWon ? 1 : 0);
        return (ordered.Select(d => d.ClosingStep!.At).ToArray(), won);
    }

    static (int Won, int Closed) Count((DateTime[] At, int[] WonSoFar) line, DateTime at)
    {
        int index = Array.BinarySearch(line.At, at);
        // Closed strictly before the moment: before the first close at it when there is one.
        int closed = index >= 0 ? First(line.At, index) : ~index;
        return (closed == 0 ? 0 : line.WonSoFar[closed - 1], closed);
    }

    static int First(DateTime[] times, int index)
    {
        while (index > 0 && times[index - 1] == times[index]) index--;
        return index;
    }

    static double Team(int won, int closed) => closed > 0 ? won / (double)closed : 0.5;

    static double Rate(int won, int closed, double team) => (won + Weight * team) / (closed + Weight);
}
