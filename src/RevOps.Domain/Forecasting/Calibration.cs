namespace RevOps.Domain.Forecasting;

/// <summary>How good probabilities were once the outcomes are known.</summary>
public static class Calibration
{
    /// <summary>Mean squared error of the probabilities against the outcomes (0 is perfect; always saying 0.5 scores 0.25).</summary>
    public static double Brier(IEnumerable<(double Probability, bool Won)> scored)
    {
        double sum = 0;
        int n = 0;
        foreach (var (p, won) in scored) { sum += (p - (won ? 1 : 0)) * (p - (won ? 1 : 0)); n++; }
        return n == 0 ? double.NaN : sum / n;
    }

    /// <summary>Ten bins by predicted probability ([0, 0.1), …, [0.9, 1]): how many deals, their mean prediction, the share won.</summary>
    public static IReadOnlyList<CalibrationBin> Deciles(IEnumerable<(double Probability, bool Won)> scored)
    {
        var bins = new (int Count, double Predicted, int Won)[10];
        foreach (var (p, won) in scored)
        {
            int i = Math.Clamp((int)(p * 10), 0, 9);
            bins[i] = (bins[i].Count + 1, bins[i].Predicted + p, bins[i].Won + (won ? 1 : 0));
        }
        return bins.Select((b, i) => new CalibrationBin(i / 10.0, (i + 1) / 10.0, b.Count,
            b.Count == 0 ? double.NaN : b.Predicted / b.Count, b.Count == 0 ? double.NaN : b.Won / (double)b.Count)).ToArray();
    }
}

public sealed record CalibrationBin(double From, double To, int Count, double MeanPredicted, double WonShare);
