namespace RevOps.Domain.Billing;

/// <summary>What one subscription tier pays.</summary>
/// <param name="BaseMonthly">Fixed fee per calendar month, e.g. 49.00.</param>
/// <param name="PerThousandRequests">Price of 1,000 requests beyond those included, e.g. 0.10; charged pro rata per request.</param>
/// <param name="IncludedRequests">Requests per month the base fee covers.</param>
public sealed record TierPrice(decimal BaseMonthly, decimal PerThousandRequests, long IncludedRequests);
