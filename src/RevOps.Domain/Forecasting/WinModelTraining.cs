namespace RevOps.Domain.Forecasting;

/// <summary>
/// Trains a tenant's win model on its own closed deals and measures it honestly: the latest quarter of them (by close
/// time) is held out, a model trained on the rest is scored on it against the stage probabilities, and the model then
/// kept is trained on all of them. A deal's owner win rate counts only deals closed before it.
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
        var examples = Examples(closed);
        var measured = trainer.Train(examples[..^holdout]);
        var test = Enumerable.Range(closed.Count - holdout, holdout).ToArray();
        double modelBrier = Calibration.Brier(test.Select(i => (measured.Predict(examples[i].Features), closed[i].IsWon)));
        double baselineBrier = Calibration.Brier(test.Select(i => (Stages.Probability(WinFeatures.StageAt(closed[i], Moment(closed[i]))), closed[i].IsWon)));

        var model = trainer.Train(examples);
        var means = Enumerable.Range(0, WinFeatures.Count).Select(j => examples.Average(e => (double)e.Features[j])).ToArray();
        return new StoredWinModel(model.Serialize(), now, deals.Count(d => d.IsClosed), holdout, modelBrier, baselineBrier, WinFeatures.Names, means);
    }

    /// <summary>Closed deals in closing order as training examples.</summary>
    public static List<WinExample> Examples(IReadOnlyList<DealHistory> closed)
    {
        var rates = OwnerRates.Before(closed);
        return closed.Select((d, i) => new WinExample(WinFeatures.At(d, Moment(d), rates[i]), d.IsWon)).ToList();
    }

    static DateTime Moment(DealHistory deal) => WinFeatures.TrainingMoment(deal)!.Value;
}
