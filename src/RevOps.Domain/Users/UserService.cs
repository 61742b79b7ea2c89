using RevOps.Domain.Audit;
using RevOps.Domain.Errors;
using RevOps.Domain.Ids;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Users;

/// <summary>
/// The people of an org: created, listed, activated and deactivated by admins (revops user, /api/users),
/// with passwords for the console. Every change is a change of a User record (change log, history,
/// webhooks) with its audit row. An org always keeps an active admin.
/// </summary>
public sealed class UserService(IUserStore users, IRecordStore records, ITenantStore tenantStore, TenantService tenants,
    IPasswordHashing passwords, IdGenerator ids, TimeProvider time)
{
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 256;
    const int MaxUsers = 10_000;

    static ObjectMetadata User => StandardObjects.User;

    public async Task<CrmResult<UserView>> CreateAsync(TenantId tenant, NewUser spec, AuditSource by, CancellationToken ct)
    {
        if (await tenantStore.GetAsync(tenant, ct) is null) return NoTenant(tenant);
        var now = Now();
        var built = UserRecords.New(spec, ids.NewId(User.KeyPrefix), by.IsUser ? by.ActorId : null, now);
        if (!built.IsOk) return built.Error;
        var record = built.Value;
        if (await UsernameTakenAsync(record, ct) is { } taken) return taken;
        var change = UserRecords.Change(by, record, ChangeOperations.Created, RecordService.CreatedChanges(record), now);
        var audit = by.Entry(tenant, now, AuditActions.UserCreate, record.Id,
            AuditDetails.Of(("username", record["Username"] as string), ("name", record["Name"] as string), ("admin", spec.IsAdmin)));
        var saved = await users.SaveAsync(tenant, new RecordWrite(record, null, change), spec.IsAdmin, keepAnActiveAdmin: false, audit, ct);
        if (saved == UserSave.UsernameTaken) return UsernameTaken(record["Username"] as string);
        return new UserView(new Record(User, record.Values, null, 1), spec.IsAdmin, HasPassword: false);
    }

    /// <summary>The org's users, oldest first.</summary>
    public async Task<IReadOnlyList<UserView>> ListAsync(TenantId tenant, CancellationToken ct)
    {
        var rows = await records.QueryAsync(tenant, User, new RecordQuery([], User.Field("CreatedDate"), Descending: false, MaxUsers), ct);
        var access = await users.AccessAsync(tenant, ct);
        return rows.Select(r => View(r, access)).ToArray();
    }

    /// <summary>A user of the org by Id (005…), username or email (case-insensitive).</summary>
    public async Task<CrmResult<UserView>> FindAsync(TenantId tenant, string? reference, CancellationToken ct)
    {
        reference = reference?.Trim();
        if (string.IsNullOrEmpty(reference))
            return new CrmError(ErrorCodes.RequiredFieldMissing, "Name the user by email, username or User Id (005…).", "user");
        Record? found = null;
        if (SalesforceId.TryNormalize(reference, out var id) && SalesforceId.KeyPrefix(id) == User.KeyPrefix)
            found = await records.GetAsync(tenant, User, id, ct);
        else
            foreach (var field in new[] { "Username", "Email" })
            {
                var query = new RecordQuery([[new Condition(User.Field(field), ConditionOp.Equals, reference)]], User.Field("CreatedDate"), Descending: false, 2);
                if (await records.QueryAsync(tenant, User, query, ct) is [var one, ..]) { found = one; break; }
            }
        if (found is null || found.IsDeleted)
            return new CrmError(ErrorCodes.NotFound, $"no user '{reference}' in this org. List users with `revops user list --tenant ID` or GET /api/users.", "user");
        return View(found, await users.AccessAsync(tenant, ct));
    }

    public async Task<CrmResult<UserView>> SetActiveAsync(TenantId tenant, string? reference, bool active, AuditSource by, CancellationToken ct)
    {
        var found = await FindAsync(tenant, reference, ct);
        if (!found.IsOk) return found.Error;
        var user = found.Value;
        if (user.IsActive == active) return user;
        var now = Now();
        var after = user.Record.Copy();
        after["IsActive"] = active;
        after["LastModifiedDate"] = now;
        after["SystemModstamp"] = now;
        if (by.IsUser) after["LastModifiedById"] = by.ActorId;
        var change = UserRecords.Change(by, after, ChangeOperations.Updated, [new FieldChange("IsActive", !active, active)], now);
        var audit = by.Entry(tenant, now, active ? AuditActions.UserActivate : AuditActions.UserDeactivate, user.Id,
            AuditDetails.Of(("username", user.Username)));
        var saved = await users.SaveAsync(tenant, new RecordWrite(after, user.Record.Version, change), null, keepAnActiveAdmin: !active, audit, ct);
        if (saved == UserSave.LastActiveAdmin)
            return new CrmError(ErrorCodes.InvalidArgument,
                $"{user.Name} ({user.Username}) is the org's last active admin and stays active. Create or activate another admin first (revops user create --admin).", "user");
        if (saved == UserSave.VersionConflict)
            return new CrmError(ErrorCodes.Conflict, $"{user.Name} ({user.Username}) was changed by someone else just now. Retry.", "user");
        // Their keys stop at once on this node; other nodes hear of it as of a revocation.
        await tenants.ForgetKeysOfUserAsync(tenant, user.Id, ct);
        return user with { Record = new Record(User, after.Values, null, user.Record.Version + 1) };
    }

    /// <summary>Why a password would be refused, or null when it is acceptable.</summary>
    public static string? CheckPassword(string? password) =>
        password is null || password.Length < MinPasswordLength || password.Length > MaxPasswordLength
            ? $"A password has {MinPasswordLength} to {MaxPasswordLength} characters; {password?.Length ?? 0} were sent. Choose a longer one (a passphrase of several words is best)."
            : null;

    public async Task<CrmResult<UserView>> SetPasswordAsync(TenantId tenant, string? reference, string? password, AuditSource by, CancellationToken ct)
    {
        var found = await FindAsync(tenant, reference, ct);
        if (!found.IsOk) return found.Error;
        if (CheckPassword(password) is { } refused) return new CrmError(ErrorCodes.InvalidFieldValue, refused, "password");
        var now = Now();
        var audit = by.Entry(tenant, now, AuditActions.UserSetPassword, found.Value.Id, AuditDetails.Of(("username", found.Value.Username)));
        await users.SetPasswordAsync(tenant, found.Value.Id, passwords.Hash(password!) /* CheckPassword refused null */, now, audit, ct);
        return found.Value with { HasPassword = true };
    }

    /// <summary>
    /// Who acts for callers that hold no key of their own (the CLI, stdio, the dev header) and who owns a new
    /// key when none is named: the org's oldest active admin.
    /// </summary>
    public async Task<UserView?> DefaultUserAsync(TenantId tenant, CancellationToken ct)
    {
        var all = await ListAsync(tenant, ct);
        return all.FirstOrDefault(u => u.IsActive && u.IsAdmin) ?? all.FirstOrDefault(u => u.IsActive);
    }

    /// <summary>A caller acting as the org's default user, for the CLI and stdio; null when the org has no active user.</summary>
    public async Task<Caller?> LocalCallerAsync(TenantId tenant, Scopes scopes, string channel, CancellationToken ct) =>
        await DefaultUserAsync(tenant, ct) is { } user ? new Caller(tenant, user.Id, scopes, channel) { ActorName = user.Name } : null;

    /// <summary>
    /// The active user of the org whose username is a token's subject. Runs on every JWT request, so the admin
    /// flag is read only when <paramref name="needAdminFlag"/> (the token asks for the admin scope); otherwise it reads false.
    /// </summary>
    public async Task<UserView?> ForSubjectAsync(TenantId tenant, string subject, bool needAdminFlag, CancellationToken ct)
    {
        var query = new RecordQuery([[new Condition(User.Field("Username"), ConditionOp.Equals, subject)]], User.Field("CreatedDate"), Descending: false, 1);
        if (await records.QueryAsync(tenant, User, query, ct) is not [var record] || record["IsActive"] is not true) return null;
        return needAdminFlag ? View(record, await users.AccessAsync(tenant, ct)) : new UserView(record, IsAdmin: false, HasPassword: false);
    }

    async Task<CrmError?> UsernameTakenAsync(Record record, CancellationToken ct) =>
        await users.FindUsernameAsync((string)record["Username"]!, ct) is null ? null : UsernameTaken(record["Username"] as string);

    internal static CrmError UsernameTaken(string? username) =>
        new(ErrorCodes.DuplicateUsername,
            $"Username '{username}' is taken: usernames are unique on the whole server. Send another username (it need not be the email), e.g. --username {UsernameSuggestion(username)}.", "username");

    static string UsernameSuggestion(string? username) =>
        username is { } u && u.IndexOf('@') is > 0 and var at ? $"{u[..at]}.2{u[at..]}" : "someone@example.com";

    static UserView View(Record record, IReadOnlyDictionary<string, UserAccess> access) =>
        access.TryGetValue(record.Id, out var a) ? new UserView(record, a.IsAdmin, a.PasswordHash is not null) : new UserView(record, false, false);

    static CrmError NoTenant(TenantId tenant) =>
        new(ErrorCodes.NotFound, $"no tenant '{tenant}'. List tenants with `revops tenant list`.", "tenant");

    DateTime Now() => Rules.FieldValues.TruncateToMillis(time.GetUtcNow().UtcDateTime);
}
