using RevOps.Domain.Users;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Users;

/// <summary>The console's key ring (console_keys): the server's own rows, read and written across tenants.</summary>
internal sealed class KeyRingStore(SqlDatabase db) : IKeyRingStore
{
    const string SelectAll = "SELECT xml FROM console_keys ORDER BY created_at, name";

    const string Insert = "INSERT INTO console_keys (name, xml, created_at) VALUES (@name, @xml, @at) ON CONFLICT (name) DO NOTHING";

    public Task<IReadOnlyList<string>> ListAsync(CancellationToken ct) =>
        db.ReadAcrossTenantsAsync<IReadOnlyList<string>>(async session =>
        {
            await using var reader = await session.Command(SelectAll).ExecuteReaderAsync(ct);
            var keys = new List<string>();
            while (await reader.ReadAsync(ct)) keys.Add(reader.GetString(0));
            return keys;
        }, ct);

    public Task AddAsync(string name, string xml, DateTime at, CancellationToken ct) =>
        db.WriteAcrossTenantsAsync(async session =>
        {
            var command = session.Command(Insert);
            session.Dialect.AddText(command, "@name", name);
            session.Dialect.AddText(command, "@xml", xml);
            session.Dialect.AddTime(command, "@at", at);
            return await command.ExecuteNonQueryAsync(ct);
        }, ct);
}
