namespace RevOps.Bench.Durability;

/// <summary>A tenant of the run: its number (1, 2, …, used in written values), id and API key.</summary>
public sealed record TenantRun(int Number, string TenantId, string ApiKey);
