using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Users;

/// <summary>A user's failed password sign-ins and the lockout they earned, kept so every node sees the same count.</summary>
public interface ISignInStore
{
    Task<SignInState> GetAsync(TenantId tenant, string userId, CancellationToken ct);

    /// <summary>
    /// Counts one more failure in one transaction; when the count reaches <paramref name="maxFailures"/>, locks the
    /// user until <paramref name="lockUntil"/> and starts the count again. Returns the state after the failure.
    /// </summary>
    Task<SignInState> RecordFailureAsync(TenantId tenant, string userId, int maxFailures, DateTime lockUntil, CancellationToken ct);

    /// <summary>Clears the failures and sets the user's LastLoginDate (a system field: no change-log row, as in Salesforce).</summary>
    Task RecordSuccessAsync(TenantId tenant, string userId, DateTime at, CancellationToken ct);
}

/// <summary>Failures since the last success or lockout, and the end of the current lockout if any.</summary>
public sealed record SignInState(int FailedCount, DateTime? LockedUntil);
