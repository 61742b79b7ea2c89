using RevOps.Domain.Metadata;
using RevOps.Domain.Schema;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Audit;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Schema;

/// <summary>
/// custom_object_definitions. A new object takes the tenant's next sequence number (its key prefix follows from
/// it: a00, a01, …) under the tenant row's lock, so two defines at once cannot take the same prefix; auto-numbers
/// come from a counter on the definition row, taken by one UPDATE … RETURNING, so no two records share one.
/// </summary>
internal sealed class CustomObjectStore(SqlDatabase db) : ICustomObjectStore
{
    const string Columns = "name, key_prefix, label, plural_label, name_label, auto_number_format, description, created_at, updated_at";

    public Task<IReadOnlyList<CustomObjectDefinition>> ListAsync(TenantId tenant, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<CustomObjectDefinition>>(tenant, async session =>
        {
            var command = session.Command($"SELECT {Columns} FROM custom_object_definitions WHERE tenant_id = @tenant ORDER BY seq");
            session.Dialect.AddTenant(command, tenant);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var definitions = new List<CustomObjectDefinition>();
            while (await reader.ReadAsync(ct)) definitions.Add(Read(session.Dialect, reader));
            return definitions;
        }, ct);

    public async Task<CustomObjectDefinition> SaveAsync(TenantId tenant, CustomObjectDefinition definition, Domain.Audit.AuditEntry audit, CancellationToken ct)
    {
        if (!CustomFieldBuilder.IsValidApiName(definition.Name)) throw new ArgumentException($"Invalid custom object name {definition.Name}.", nameof(definition));
        return await db.WriteAsync(tenant, async session =>
        {
            var d = session.Dialect;
            var lockTenant = session.Command($"SELECT id FROM tenants WHERE id = @tenant{d.ForUpdate}");
            d.AddTenant(lockTenant, tenant);
            await lockTenant.ExecuteScalarAsync(ct);

            var update = session.Command("""
                UPDATE custom_object_definitions SET label = @label, plural_label = @plural, name_label = @name_label,
                    auto_number_format = @format, description = @description, updated_at = @updated
                WHERE tenant_id = @tenant AND name = @name
                """);
            Bind(d, update, tenant, definition);
            if (await update.ExecuteNonQueryAsync(ct) == 0)
            {
                var next = session.Command("SELECT COALESCE(MAX(seq) + 1, 0) FROM custom_object_definitions WHERE tenant_id = @tenant");
                d.AddTenant(next, tenant);
                int seq = Convert.ToInt32(await next.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
                var insert = session.Command("""
                    INSERT INTO custom_object_definitions (tenant_id, name, seq, key_prefix, label, plural_label, name_label, auto_number_format, description, created_at, updated_at)
                    VALUES (@tenant, @name, @seq, @prefix, @label, @plural, @name_label, @format, @description, @created, @updated)
                    """);
                Bind(d, insert, tenant, definition);
                d.AddLong(insert, "@seq", seq);
                d.AddText(insert, "@prefix", CustomObjectBuilder.KeyPrefix(seq));
                d.AddTime(insert, "@created", definition.CreatedAt);
                await insert.ExecuteNonQueryAsync(ct);
            }
            await AuditAppend.AppendAsync(session, audit, ct);

            var read = session.Command($"SELECT {Columns} FROM custom_object_definitions WHERE tenant_id = @tenant AND name = @name");
            d.AddTenant(read, tenant);
            d.AddText(read, "@name", definition.Name);
            await using var reader = await read.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? Read(d, reader) : throw new InvalidOperationException($"{definition.Name} was not saved.");
        }, ct);
    }

    public Task<long> NextNumberAsync(TenantId tenant, string objectName, CancellationToken ct) =>
        db.WriteAsync(tenant, async session =>
        {
            var command = session.Command("""
                UPDATE custom_object_definitions SET auto_number_next = auto_number_next + 1
                WHERE tenant_id = @tenant AND name = @name RETURNING auto_number_next - 1
                """);
            session.Dialect.AddTenant(command, tenant);
            session.Dialect.AddText(command, "@name", objectName);
            return await command.ExecuteScalarAsync(ct) is { } number and not DBNull
                ? Convert.ToInt64(number, System.Globalization.CultureInfo.InvariantCulture)
                : throw new InvalidOperationException($"No custom object {objectName} to number.");
        }, ct);

    static void Bind(SqlDialect d, System.Data.Common.DbCommand command, TenantId tenant, CustomObjectDefinition definition)
    {
        d.AddTenant(command, tenant);
        d.AddText(command, "@name", definition.Name);
        d.AddText(command, "@label", definition.Label);
        d.AddText(command, "@plural", definition.PluralLabel);
        d.AddText(command, "@name_label", definition.NameLabel);
        d.AddText(command, "@format", definition.AutoNumberFormat);
        d.AddText(command, "@description", definition.Description);
        d.AddTime(command, "@updated", definition.UpdatedAt);
    }

    static CustomObjectDefinition Read(SqlDialect d, System.Data.Common.DbDataReader reader)
    {
        var created = d.ReadTime(reader, 7);
        return new CustomObjectDefinition(reader.GetString(0), reader.GetString(2), reader.GetString(3), reader.GetString(1), reader.GetString(4),
            d.ReadNullableText(reader, 5), d.ReadNullableText(reader, 6), created, d.ReadNullableTime(reader, 8) ?? created);
    }
}
