namespace RevOps.Domain.Forecasting;

/// <summary>
/// Trains a tenant's win model on its own closed deals and measures it honestly. A closed deal is learned from as it stood
/// at a few moments of its open life (seeded by its Id), each labelled with how it ended: an open deal is scored midway
/// too, never at its close, where every deal short of the last stage is already lost. The latest quarter of the deals (by
/// close) is held out, a model trained on the rest is scored on it against the stage probabilities, and the model then
/// kept is trained on all of them. A deal's owner win rate counts only deals closed before the moment.
/// </summary>
public sealed class WinModelTraining(IWinModelTrainer trainer)
{
    /// <summary>Fewer closed deals with their closing in the history than this, and the stage probabilities are used.</summary>
    public const int MinimumClosed = 200;

    /// <summary>Closed deals since the last training that make it worth training again.</summary>
    public const int RetrainAfter = 50;

    /// <summary>Moments of each closed deal's open life it is learned from.</summary>
    public const int SnapshotsPerDeal = 4;

    /// <summary>The deals a model learns from, oldest close first: closed ones whose closing step is in the history.</summary>
    public static List<DealHistory> Learnable(IEnumerable<DealHistory> deals) =>
        deals.Where(d => d.ClosingStep is not null).OrderBy(d => d.ClosingStep!.At).ThenBy(d => d.Id, StringComparer.Ordinal).ToList();

    /// <summary>Null when there are fewer than <see cref="MinimumClosed"/> learnable deals.</summary>
    public StoredWinModel? Train(IReadOnlyList<DealHistory> deals, DateTime now, int minimum = MinimumClosed)
    {
        var closed = Learnable(deals);
        if (closed.Count < minimum) return null;
        int holdout = Math.Max(1, closed.Count / 4);
        var snapshots = Snapshots(closed);
        int split = (closed.Count - holdout) * SnapshotsPerDeal;
        var measured = trainer.Train(snapshots.Take(split).Select(s => s.Example).ToArray());
        var test = snapshots.Skip(split).ToArray();
        double modelBrier = Calibration.Brier(test.Select(s => (measured.Predict(s.Example.Features), s.Example.Won)));
        double baselineBrier = Calibration.Brier(test.Select(s => ((double)s.Example.Features[0], s.Example.Won)));

        var examples = snapshots.Select(s => s.Example).ToArray();
        var model = trainer.Train(examples);
        var means = Enumerable.Range(0, WinFeatures.Count).Select(j => examples.Average(e => (double)e.Features[j])).ToArray();
        return new StoredWinModel(model.Serialize(), now, deals.Count(d => d.IsClosed), holdout, modelBrier, baselineBrier, WinFeatures.Names, means);
    }

    /// <summary><see cref="SnapshotsPerDeal"/> examples of each closed deal, in the deals' order; feature 0 is the stage probability, the baseline's.</summary>
    public static List<(DealHistory Deal, DateTime At, WinExample Example)> Snapshots(IReadOnlyList<DealHistory> closed)
    {
        var ownerRate = OwnerRates.AsOf(closed);
        var snapshots = new List<(DealHistory, DateTime, WinExample)>(closed.Count * SnapshotsPerDeal);
        foreach (var deal in closed)
        {
            var random = new Random(RevenueRange.Seed(deal.Id));
            var close = deal.ClosingStep!.At;
            var life = close > deal.CreatedAt ? close - deal.CreatedAt : TimeSpan.Zero;
            for (int k = 0; k < SnapshotsPerDeal; k++)
            {
                var at = deal.CreatedAt + life * random.NextDouble();
                if (at >= close) at = close.AddTicks(-1);
                snapshots.Add((deal, at, new WinExample(WinFeatures.At(deal, at, ownerRate(deal.OwnerId, at)), deal.IsWon)));
            }
        }
        return snapshots;
    }
}
