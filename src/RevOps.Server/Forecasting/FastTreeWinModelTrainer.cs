using Microsoft.ML;
using Microsoft.ML.Data;
using RevOps.Domain.Forecasting;

namespace RevOps.Server.Forecasting;

/// <summary>
/// The win model as ML.NET's FastTree binary classifier (boosted trees with a Platt-calibrated probability). Small trees and
/// a floor on leaf size, because a tenant may have only a few hundred closed deals; seeded, so training is repeatable.
/// </summary>
public sealed class FastTreeWinModelTrainer : IWinModelTrainer
{
    public IWinModel Train(IReadOnlyList<WinExample> examples)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(examples.Select(e => new Row { Features = e.Features, Label = e.Won }));
        var trainer = ml.BinaryClassification.Trainers.FastTree(new Microsoft.ML.Trainers.FastTree.FastTreeBinaryTrainer.Options
        {
            NumberOfLeaves = 8,
            NumberOfTrees = 60,
            MinimumExampleCountPerLeaf = Math.Max(10, examples.Count / 20),
            LearningRate = 0.1,
            NumberOfThreads = 1,
            Seed = 1,
        });
        var model = trainer.Fit(data);
        return new Model(ml, model, data.Schema);
    }

    public IWinModel Load(byte[] model)
    {
        var ml = new MLContext(seed: 1);
        using var stream = new MemoryStream(model);
        var transformer = ml.Model.Load(stream, out var schema);
        return new Model(ml, transformer, schema);
    }

    sealed class Row
    {
        [VectorType(WinFeatures.Count)]
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }

    sealed class Prediction
    {
        public float Probability { get; set; }
    }

    /// <summary>A prediction engine is not thread-safe; one per model, behind a lock (a prediction takes microseconds).</summary>
    sealed class Model(MLContext ml, ITransformer transformer, DataViewSchema schema) : IWinModel
    {
        readonly PredictionEngine<Row, Prediction> _engine = ml.Model.CreatePredictionEngine<Row, Prediction>(transformer, inputSchema: schema);
        readonly Lock _gate = new();

        public double Predict(float[] features)
        {
            lock (_gate) return _engine.Predict(new Row { Features = features }).Probability;
        }

        public byte[] Serialize()
        {
            using var stream = new MemoryStream();
            ml.Model.Save(transformer, schema, stream);
            return stream.ToArray();
        }
    }
}
