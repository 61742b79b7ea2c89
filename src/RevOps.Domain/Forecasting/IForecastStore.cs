using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Forecasting;

/// <summary>A tenant's opportunities with their stage and activity history, and its win-probability model (never another tenant's).</summary>
public interface IForecastStore
{
    /// <summary>Live opportunities closing in [from, to] (every one when both are null), with their histories.</summary>
    Task<IReadOnlyList<DealHistory>> LoadAsync(TenantId tenant, DateOnly? from, DateOnly? to, CancellationToken ct);

    /// <summary>Won and closed counts of each owner over every live closed opportunity.</summary>
    Task<IReadOnlyDictionary<string, OwnerRecord>> OwnerRecordsAsync(TenantId tenant, CancellationToken ct);

    /// <summary>How many live opportunities are closed.</summary>
    Task<int> ClosedCountAsync(TenantId tenant, CancellationToken ct);

    Task<StoredWinModel?> GetModelAsync(TenantId tenant, CancellationToken ct);

    /// <summary>Replaces the tenant's model.</summary>
    Task SaveModelAsync(TenantId tenant, StoredWinModel model, CancellationToken ct);
}

/// <summary>An owner's closed deals: how many, how many won.</summary>
public sealed record OwnerRecord(int Won, int Closed);

/// <summary>
/// A trained model and what it was measured at: trained on ClosedDeals closed deals, its Brier score and the stage
/// baseline's on the latest Holdout of them (held out of that training), the features in order with their training means.
/// </summary>
public sealed record StoredWinModel(
    byte[] Model,
    DateTime TrainedAt,
    int ClosedDeals,
    int Holdout,
    double ModelBrier,
    double BaselineBrier,
    IReadOnlyList<string> Features,
    IReadOnlyList<double> FeatureMeans)
{
    /// <summary>Used only when it beat the stage baseline on deals it had not seen.</summary>
    public bool BeatsBaseline => ModelBrier < BaselineBrier;
}
