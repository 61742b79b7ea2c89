using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Users;

/// <summary>
/// A person signing in to the console with username (their email, unless set otherwise) and password.
/// After <see cref="MaxFailures"/> wrong passwords in a row the user is locked out for <see cref="LockFor"/>,
/// on every node (the count is stored). Wrong username and wrong password read the same, so the form
/// does not tell who has an account.
/// </summary>
public sealed class SignInService(IUserStore users, IRecordStore records, ISignInStore signIns, IPasswordHashing passwords, TimeProvider time)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan LockFor = TimeSpan.FromMinutes(15);
    const string Wrong = "Wrong email or password. Check both and try again; an admin can set a new password with `revops user set-password`.";

    public async Task<CrmResult<SignedIn>> SignInAsync(string? username, string? password, CancellationToken ct)
    {
        username = username?.Trim();
        if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(password))
            return new CrmError(ErrorCodes.RequiredFieldMissing, "Enter your email and your password.", "username");
        if (await users.FindUsernameAsync(username, ct) is not var (tenant, userId))
            return new CrmError(ErrorCodes.InsufficientAccess, Wrong, "password");
        var now = time.GetUtcNow().UtcDateTime;
        var state = await signIns.GetAsync(tenant, userId, ct);
        if (state.LockedUntil is { } until && until > now) return Locked(until);

        var user = await records.GetAsync(tenant, StandardObjects.User, userId, ct);
        var access = (await users.AccessAsync(tenant, ct)).GetValueOrDefault(userId);
        bool verified = user is { IsDeleted: false } && access?.PasswordHash is { } hash && passwords.Verify(hash, password);
        if (!verified)
        {
            var after = await signIns.RecordFailureAsync(tenant, userId, MaxFailures, now + LockFor, ct);
            return after.LockedUntil is { } locked && locked > now ? Locked(locked) : new CrmError(ErrorCodes.InsufficientAccess, Wrong, "password");
        }
        if (user!["IsActive"] is not true)
            return new CrmError(ErrorCodes.InsufficientAccess, "This user is deactivated. Ask an admin of your org to activate it (revops user activate).", "username");
        await signIns.RecordSuccessAsync(tenant, userId, Rules.FieldValues.TruncateToMillis(now), ct);
        return new SignedIn(tenant, new UserView(user, access!.IsAdmin, HasPassword: true));
    }

    /// <summary>Whether a signed-in user may still use the console: the record exists and is active.</summary>
    public async Task<UserView?> StillActiveAsync(TenantId tenant, string userId, CancellationToken ct)
    {
        var user = await records.GetAsync(tenant, StandardObjects.User, userId, ct);
        if (user is not { IsDeleted: false } || user["IsActive"] is not true) return null;
        var access = (await users.AccessAsync(tenant, ct)).GetValueOrDefault(userId);
        return new UserView(user, access?.IsAdmin ?? false, access?.PasswordHash is not null);
    }

    static CrmError Locked(DateTime until) =>
        new(ErrorCodes.InsufficientAccess,
            $"Too many wrong passwords: this user is locked until {until:HH:mm} UTC. Wait, or ask an admin to set a new password.", "password");
}

/// <summary>A user who signed in, and the org they belong to.</summary>
public sealed record SignedIn(TenantId Tenant, UserView User);
