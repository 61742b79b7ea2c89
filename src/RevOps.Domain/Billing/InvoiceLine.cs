namespace RevOps.Domain.Billing;

/// <summary>One line of an invoice: Amount = Quantity × UnitPrice, rounded to cents.</summary>
/// <param name="Unit">What one of Quantity is, e.g. "month" or "1,000 requests".</param>
public sealed record InvoiceLine(string Description, decimal Quantity, string Unit, decimal UnitPrice, decimal Amount);
