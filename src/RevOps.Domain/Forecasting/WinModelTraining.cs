namespace RevOps.Domain.Forecasting;

/// <summary>
/// Trains a tenant's win model on its own closed deals and measures it honestly: the latest quarter of them (by close
/// time) is held out, a model trained on the rest is scored on it against the stage probabilities, and the model then
/// kept is trained on all of them. Owner win rates never count the deal being learned from.
/// </summary>
public sealed class WinModelTraining(IWinModelTrainer trainer)
{
    /// <summary>Fewer closed deals with their closing in the history than this, and the stage probabilities are used.</summary>
    public const int MinimumClosed = 200;

    /// <summary>Closed deals since the last training that make it worth training again.</summary>
    public const int RetrainAfter = 50;

    /// <summary>The deals a model learns from, oldest close first: closed ones whose closing step is in the history.</summary>
    public static List<DealHistory> Learnable(IEnumerable<DealHistory> deals) =>
        deals.Where(d => d.ClosingStep is not null).OrderBy(d => d.ClosingStep!.At).ThenBy(d => d.Id, StringComparer.Ordinal).ToList();

    /// <summary>Null when there are fewer than <see cref="MinimumClosed"/> learnable deals.</summary>
    public StoredWinModel? Train(IReadOnlyList<DealHistory> deals, DateTime now, int minimum = MinimumClosed)
    {
        var closed = Learnable(deals);
        if (closed.Count < minimum) return null;
        int holdout = Math.Max(1, closed.Count / 4);
        var fit = closed[..^holdout];
        var test = closed[^holdout..];

        var fitRates = OwnerRates.From(fit);
        var measured = trainer.Train(Examples(fit, fitRates));
        double modelBrier = Calibration.Brier(test.Select(d => (measured.Predict(Features(d, fitRates.Of(d.OwnerId))), d.IsWon)));
        double baselineBrier = Calibration.Brier(test.Select(d => (Stages.Probability(WinFeatures.StageAt(d, Moment(d))), d.IsWon)));

        var examples = Examples(closed, OwnerRates.From(closed));
        var model = trainer.Train(examples);
        var means = Enumerable.Range(0, WinFeatures.Count).Select(j => examples.Average(e => (double)e.Features[j])).ToArray();
        return new StoredWinModel(model.Serialize(), now, deals.Count(d => d.IsClosed), holdout, modelBrier, baselineBrier, WinFeatures.Names, means);
    }

    static List<WinExample> Examples(IEnumerable<DealHistory> closed, OwnerRates rates) =>
        closed.Select(d => new WinExample(Features(d, rates.Of(d.OwnerId, d)), d.IsWon)).ToList();

    static float[] Features(DealHistory deal, double ownerRate) => WinFeatures.At(deal, Moment(deal), ownerRate);

    static DateTime Moment(DealHistory deal) => WinFeatures.TrainingMoment(deal)!.Value;
}
