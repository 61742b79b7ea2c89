using RevOps.Domain.Tenancy;
using RevOps.Domain.Users;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Users;

/// <summary>Failed sign-ins and lockouts (user_sign_in), and the LastLoginDate of a success, on either engine.</summary>
internal sealed class SignInStore(SqlDatabase db) : ISignInStore
{
    const string Select = "SELECT failed_count, locked_until FROM user_sign_in WHERE tenant_id = @tenant AND user_id = @user";

    // One statement, so two nodes counting failures of the same user at once both count.
    const string CountFailure = """
        INSERT INTO user_sign_in (tenant_id, user_id, failed_count, locked_until) VALUES (@tenant, @user, 1, NULL)
        ON CONFLICT (tenant_id, user_id) DO UPDATE SET failed_count = user_sign_in.failed_count + 1
        """;

    const string Lock = "UPDATE user_sign_in SET failed_count = 0, locked_until = @until WHERE tenant_id = @tenant AND user_id = @user AND failed_count >= @max";

    const string Clear = "DELETE FROM user_sign_in WHERE tenant_id = @tenant AND user_id = @user";

    const string LastLogin = "UPDATE users SET LastLoginDate = @at WHERE tenant_id = @tenant AND Id = @user";

    public Task<SignInState> GetAsync(TenantId tenant, string userId, CancellationToken ct) =>
        db.ReadAsync(tenant, session => ReadAsync(session, tenant, userId, ct), ct);

    public Task<SignInState> RecordFailureAsync(TenantId tenant, string userId, int maxFailures, DateTime lockUntil, CancellationToken ct) =>
        db.WriteAsync(tenant, async session =>
        {
            await RunAsync(session, CountFailure, tenant, userId, ct);
            var d = session.Dialect;
            var command = session.Command(Lock);
            d.AddTenant(command, tenant);
            d.AddText(command, "@user", userId);
            d.AddTime(command, "@until", lockUntil);
            d.AddLong(command, "@max", maxFailures);
            await command.ExecuteNonQueryAsync(ct);
            return await ReadAsync(session, tenant, userId, ct);
        }, ct);

    public Task RecordSuccessAsync(TenantId tenant, string userId, DateTime at, CancellationToken ct) =>
        db.WriteAsync(tenant, async session =>
        {
            await RunAsync(session, Clear, tenant, userId, ct);
            var command = session.Command(LastLogin);
            session.Dialect.AddTenant(command, tenant);
            session.Dialect.AddText(command, "@user", userId);
            session.Dialect.AddTime(command, "@at", at);
            await command.ExecuteNonQueryAsync(ct);
            return 0;
        }, ct);

    static async Task<SignInState> ReadAsync(SqlSession session, TenantId tenant, string userId, CancellationToken ct)
    {
        var command = session.Command(Select);
        session.Dialect.AddTenant(command, tenant);
        session.Dialect.AddText(command, "@user", userId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return new SignInState(0, null);
        return new SignInState(Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), session.Dialect.ReadNullableTime(reader, 1));
    }

    static async Task RunAsync(SqlSession session, string sql, TenantId tenant, string userId, CancellationToken ct)
    {
        var command = session.Command(sql);
        session.Dialect.AddTenant(command, tenant);
        session.Dialect.AddText(command, "@user", userId);
        await command.ExecuteNonQueryAsync(ct);
    }
}
