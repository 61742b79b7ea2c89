namespace RevOps.Domain.Rules;

/// <summary>
/// Salesforce's standard sales process. The stage decides IsClosed, IsWon, the forecast
/// category and the default Probability, as it does in a new Salesforce org.
/// </summary>
public static class OpportunityStages
{
    public sealed record Stage(string Name, int Probability, bool IsClosed, bool IsWon, string ForecastCategory);

    public static readonly IReadOnlyList<Stage> All =
    [
        new("Prospecting", 10, false, false, "Pipeline"),
        new("Qualification", 10, false, false, "Pipeline"),
        new("Needs Analysis", 20, false, false, "Pipeline"),
        new("Value Proposition", 50, false, false, "Pipeline"),
        new("Id. Decision Makers", 60, false, false, "Pipeline"),
        new("Perception Analysis", 70, false, false, "Pipeline"),
        new("Proposal/Price Quote", 75, false, false, "Pipeline"),
        new("Negotiation/Review", 90, false, false, "Pipeline"),
        new("Closed Won", 100, true, true, "Closed"),
        new("Closed Lost", 0, true, false, "Omitted"),
    ];

    public static readonly IReadOnlyList<string> Names = All.Select(s => s.Name).ToArray();

    public static Stage? Find(string name) => All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}
