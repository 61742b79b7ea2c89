namespace RevOps.Domain.Billing;

/// <summary>What a period's usage costs under a price book; the total is the sum of the rounded lines.</summary>
public sealed record Invoice(string Currency, string Tier, DateOnly From, DateOnly To, IReadOnlyList<InvoiceLine> Lines, decimal Total);
