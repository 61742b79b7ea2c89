using RevOps.Domain.Tenancy;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Users;

/// <summary>A user's user_access row, written inside the transaction that writes the user.</summary>
internal static class UserAccessRows
{
    const string Upsert = """
        INSERT INTO user_access (tenant_id, user_id, is_admin) VALUES (@tenant, @user, @admin)
        ON CONFLICT (tenant_id, user_id) DO UPDATE SET is_admin = @admin
        """;

    public static async Task SetAdminAsync(SqlSession session, TenantId tenant, string userId, bool isAdmin, CancellationToken ct)
    {
        var d = session.Dialect;
        var command = session.Command(Upsert);
        d.AddTenant(command, tenant);
        d.AddText(command, "@user", userId);
        d.Add(command, "@admin", isAdmin, Domain.Metadata.StorageKind.Boolean);
        await command.ExecuteNonQueryAsync(ct);
    }
}
