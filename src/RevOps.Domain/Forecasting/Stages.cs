using RevOps.Domain.Rules;

namespace RevOps.Domain.Forecasting;

/// <summary>The stage baseline: the standard sales process's default probability of each stage.</summary>
public static class Stages
{
    public static bool IsClosed(string? stage) => stage is not null && OpportunityStages.Find(stage) is { IsClosed: true };

    /// <summary>The stage's default probability in [0, 1]; a stage outside the picklist counts as 0.1, the process's first stage.</summary>
    public static double Probability(string? stage) => (stage is null ? null : OpportunityStages.Find(stage)) is { } known ? known.Probability / 100.0 : 0.1;
}
