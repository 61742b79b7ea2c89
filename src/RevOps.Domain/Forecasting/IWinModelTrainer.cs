namespace RevOps.Domain.Forecasting;

/// <summary>Trains and loads a binary win classifier over <see cref="WinFeatures"/> vectors (implemented with ML.NET by the server).</summary>
public interface IWinModelTrainer
{
    IWinModel Train(IReadOnlyList<WinExample> examples);

    IWinModel Load(byte[] model);
}

/// <summary>A trained classifier. Not shared between threads' calls unless the implementation says so.</summary>
public interface IWinModel
{
    /// <summary>The probability, in [0, 1], that a deal with these features is won.</summary>
    double Predict(float[] features);

    byte[] Serialize();
}

public sealed record WinExample(float[] Features, bool Won);
