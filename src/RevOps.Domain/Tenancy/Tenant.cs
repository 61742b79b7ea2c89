namespace RevOps.Domain.Tenancy;

public sealed record Tenant(TenantId Id, string Name, string? Domain, string SubscriptionTier, DateTime CreatedAt);

public static class SubscriptionTiers
{
    public static readonly IReadOnlyList<string> All = ["free", "professional", "enterprise"];
}
