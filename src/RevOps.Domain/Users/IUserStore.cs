using RevOps.Domain.Audit;
using RevOps.Domain.Records;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Users;

/// <summary>
/// Users' records (the User object's table, read like any record through <see cref="IRecordStore"/>) and what
/// only the server reads about them: the admin flag and the password hash.
/// </summary>
public interface IUserStore
{
    /// <summary>
    /// Writes the user record with its change-log row, its admin flag when given, and the audit row, in one
    /// transaction. With <paramref name="keepAnActiveAdmin"/>, refuses (and writes nothing) when the org
    /// would be left without an active admin.
    /// </summary>
    Task<UserSave> SaveAsync(TenantId tenant, RecordWrite user, bool? isAdmin, bool keepAnActiveAdmin, AuditEntry audit, CancellationToken ct);

    /// <summary>The admin flag and password of every user of the tenant, by User Id.</summary>
    Task<IReadOnlyDictionary<string, UserAccess>> AccessAsync(TenantId tenant, CancellationToken ct);

    /// <summary>Stores the user's new password hash and the audit row in one transaction.</summary>
    Task SetPasswordAsync(TenantId tenant, string userId, string passwordHash, DateTime at, AuditEntry audit, CancellationToken ct);

    /// <summary>The tenant and Id of the user holding this username, on the whole server (usernames are unique across tenants).</summary>
    Task<(TenantId Tenant, string UserId)?> FindUsernameAsync(string username, CancellationToken ct);
}

/// <summary>What the server alone knows of a user.</summary>
public sealed record UserAccess(string UserId, bool IsAdmin, string? PasswordHash, DateTime? PasswordSetAt);

public enum UserSave
{
    Saved,
    /// <summary>Another user of any tenant holds the username.</summary>
    UsernameTaken,
    /// <summary>The change would leave the org without an active admin.</summary>
    LastActiveAdmin,
    /// <summary>The record changed since it was read.</summary>
    VersionConflict,
}
