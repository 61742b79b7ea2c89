using System.Data.Common;
using RevOps.Domain.Audit;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Users;
using RevOps.Storage.Audit;
using RevOps.Storage.ChangeLog;
using RevOps.Storage.Records;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Users;

/// <summary>
/// Users' writes, on either engine: the User record and its change-log row (as every record write does),
/// the user_access row and the audit row in one tenant transaction. The username's uniqueness across
/// tenants is the unique index's to keep; a loser of that race is answered, not thrown.
/// </summary>
internal sealed class UserStore(SqlDatabase db) : IUserStore
{
    readonly RecordSql _users = new(StandardObjects.User, db.Dialect);

    // Active admins left after the write, counted inside it (the tenant's writes are serialized by the sequence).
    string ActiveAdmins => $"""
        SELECT COUNT(*) FROM users u JOIN user_access a ON a.tenant_id = u.tenant_id AND a.user_id = u.Id
        WHERE u.tenant_id = @tenant AND u.IsActive = {db.Dialect.True} AND a.is_admin = {db.Dialect.True} AND u.IsDeleted = {db.Dialect.False}
        """;

    const string SelectAccess = "SELECT user_id, is_admin, password_hash, password_set_at FROM user_access WHERE tenant_id = @tenant";

    const string SetPassword = "UPDATE user_access SET password_hash = @hash, password_set_at = @at WHERE tenant_id = @tenant AND user_id = @user";

    const string FindUsername = "SELECT tenant_id, Id FROM users WHERE Username = @username";

    public async Task<UserSave> SaveAsync(TenantId tenant, RecordWrite user, bool? isAdmin, bool keepAnActiveAdmin, AuditEntry audit, CancellationToken ct)
    {
        string changesJson = ChangeJson.Serialize(user.Change.Changes);
        UserSave outcome;
        long seq = 0;
        try
        {
            outcome = await db.WriteAsync(tenant, async session =>
            {
                seq = await ChangeLogAppend.TakeSequencesAsync(session, tenant, 1, ct);
                if (!await RecordRowWrite.WriteAsync(session, _users, tenant, user, seq, changesJson, ct)) throw new Refused(UserSave.VersionConflict);
                if (isAdmin is { } admin) await UserAccessRows.SetAdminAsync(session, tenant, user.Record.Id, admin, ct);
                if (keepAnActiveAdmin)
                {
                    var count = session.Command(ActiveAdmins);
                    session.Dialect.AddTenant(count, tenant);
                    if (Convert.ToInt64(await count.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) == 0)
                        throw new Refused(UserSave.LastActiveAdmin);
                }
                await AuditAppend.AppendAsync(session, audit, ct);
                return UserSave.Saved;
            }, ct);
        }
        catch (Refused refused)
        {
            return refused.Outcome;
        }
        catch (DbException e) when (db.Dialect.IsUniqueViolation(e) && user.ExpectedVersion is null)
        {
            return UserSave.UsernameTaken;
        }
        db.TenantChanges.Raise(tenant, seq);
        return outcome;
    }

    public Task<IReadOnlyDictionary<string, UserAccess>> AccessAsync(TenantId tenant, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyDictionary<string, UserAccess>>(tenant, async session =>
        {
            var d = session.Dialect;
            var command = session.Command(SelectAccess);
            d.AddTenant(command, tenant);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var access = new Dictionary<string, UserAccess>(StringComparer.Ordinal);
            while (await reader.ReadAsync(ct))
                access[reader.GetString(0)] = new UserAccess(reader.GetString(0), d.Read(reader, 1, StorageKind.Boolean) is true,
                    d.ReadNullableText(reader, 2), d.ReadNullableTime(reader, 3));
            return access;
        }, ct);

    public Task SetPasswordAsync(TenantId tenant, string userId, string passwordHash, DateTime at, AuditEntry audit, CancellationToken ct) =>
        db.WriteAsync(tenant, async session =>
        {
            var d = session.Dialect;
            var command = session.Command(SetPassword);
            d.AddTenant(command, tenant);
            d.AddText(command, "@user", userId);
            d.AddText(command, "@hash", passwordHash);
            d.AddTime(command, "@at", at);
            await command.ExecuteNonQueryAsync(ct);
            await AuditAppend.AppendAsync(session, audit, ct);
            return 0;
        }, ct);

    /// <summary>Before any tenant is known (a username names one user on the server): a read across tenants.</summary>
    public Task<(TenantId Tenant, string UserId)?> FindUsernameAsync(string username, CancellationToken ct) =>
        db.ReadAcrossTenantsAsync<(TenantId, string)?>(async session =>
        {
            var command = session.Command(FindUsername);
            session.Dialect.AddText(command, "@username", username);
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? (session.Dialect.ReadTenant(reader, 0), reader.GetString(1)) : null;
        }, ct);

    /// <summary>Unwinds the transaction; turned into a <see cref="UserSave"/> above.</summary>
    sealed class Refused(UserSave outcome) : Exception(outcome.ToString())
    {
        public UserSave Outcome { get; } = outcome;
    }
}
