using RevOps.Domain.Billing;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Usage;

/// <summary>A tenant's usage over a period and what it costs.</summary>
public sealed record UsageStatement(Tenant Tenant, UsageReport Report, Invoice Invoice);
