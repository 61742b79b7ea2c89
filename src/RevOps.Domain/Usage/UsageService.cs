using RevOps.Domain.Billing;
using RevOps.Domain.Errors;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Usage;

/// <summary>Usage and invoice previews, the same for GET /api/usage, the get_usage tool and `revops usage`.</summary>
public sealed class UsageService(IUsageStore usage, ITenantStore tenants, PriceBook prices, TimeProvider time)
{
    /// <summary>
    /// The tenant's statement for the period (see <see cref="UsagePeriod.Parse"/>). Counts reach the
    /// store once a second, so the last second's calls may not be in it yet.
    /// </summary>
    public async Task<CrmResult<UsageStatement>> GetAsync(TenantId tenantId, string? from, string? to, CancellationToken ct)
    {
        var period = UsagePeriod.Parse(from, to, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        if (!period.IsOk) return period.Error;
        if (await tenants.GetAsync(tenantId, ct) is not { } tenant)
            return new CrmError(ErrorCodes.NotFound, $"no tenant '{tenantId}'.", "tenant");
        var report = await usage.ReportAsync(tenantId.Value, period.Value.From, period.Value.To, ct);
        return new UsageStatement(tenant, report, prices.Preview(tenant.SubscriptionTier, report.From, report.To, report.TotalRequests));
    }
}
