using System.Text.Json;
using Npgsql;
using RevOps.Domain.Metadata;
using RevOps.Domain.Rules;
using RevOps.Domain.Schema;
using RevOps.Domain.Stores;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Schema;

namespace RevOps.Storage.Postgres;

/// <summary>
/// custom_field_definitions, plus one expression index per (object, field name, value kind) over
/// (tenant_id, the field's typed expression): tenants that define a field of the same name and kind
/// share it, and every lookup through it is still tenant-first. The index is built CONCURRENTLY
/// after the definition commits, so defining a field never blocks other tenants' writes to the table.
/// </summary>
internal sealed class PostgresCustomFieldStore(PostgresDatabase db) : ICustomFieldStore
{
    const string Columns = "object_name, api_name, field_type, label, length, precision, scale, required, default_value, picklist_values, description, created_at, updated_at, external_id, is_unique";

    const string Upsert = """
        INSERT INTO custom_field_definitions (tenant_id, object_name, api_name, field_type, label, length, precision, scale, required, default_value, picklist_values, description, created_at, updated_at, external_id, is_unique)
        VALUES (@tenant, @object, @name, @type, @label, @length, @precision, @scale, @required, @default, @values, @description, @created, @updated, @external, @unique)
        ON CONFLICT (tenant_id, object_name, api_name) DO UPDATE SET
            field_type = excluded.field_type, label = excluded.label, length = excluded.length, precision = excluded.precision,
            scale = excluded.scale, required = excluded.required, default_value = excluded.default_value,
            picklist_values = excluded.picklist_values, description = excluded.description, updated_at = excluded.updated_at,
            external_id = excluded.external_id, is_unique = excluded.is_unique
        """;

    public Task<IReadOnlyList<CustomFieldDefinition>> ListAsync(TenantId tenant, CancellationToken ct) =>
        db.InTenantAsync<IReadOnlyList<CustomFieldDefinition>>(tenant, async connection =>
        {
            await using var command = new NpgsqlCommand($"SELECT {Columns} FROM custom_field_definitions WHERE tenant_id = @tenant ORDER BY object_name, api_name", connection);
            PostgresValues.AddTenant(command.Parameters, tenant);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var definitions = new List<CustomFieldDefinition>();
            while (await reader.ReadAsync(ct))
            {
                var created = reader.GetFieldValue<DateTime>(11);
                definitions.Add(CustomFieldRow.ToDefinition(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    NullableInt(reader, 4), NullableInt(reader, 5), NullableInt(reader, 6), reader.GetBoolean(7), PostgresValues.NullableText(reader, 8),
                    PostgresValues.NullableText(reader, 9), PostgresValues.NullableText(reader, 10), created, PostgresValues.NullableTime(reader, 12) ?? created,
                    reader.GetBoolean(13), reader.GetBoolean(14)));
            }
            return definitions;
        }, ct);

    public async Task SaveAsync(TenantId tenant, CustomFieldDefinition definition, Domain.Audit.AuditEntry audit, CancellationToken ct)
    {
        if (!StandardObjects.TryGet(definition.Object, out var obj)) throw new ArgumentException($"Unknown object {definition.Object}.", nameof(definition));
        var field = definition.Field;
        // The name is part of DDL, so it must be exactly what the builder allows: letters, digits, underscores, __c.
        if (!CustomFieldBuilder.IsValidApiName(field.Name)) throw new ArgumentException($"Invalid custom field name {field.Name}.", nameof(definition));
        await db.InTenantAsync(tenant, async connection =>
        {
            await using (var command = new NpgsqlCommand(Upsert, connection))
            {
                var p = command.Parameters;
                PostgresValues.AddTenant(p, tenant);
                PostgresValues.Add(p, "object", obj.Name);
                PostgresValues.Add(p, "name", field.Name);
                PostgresValues.Add(p, "type", CustomFieldTypes.NameOf(field.Type));
                PostgresValues.Add(p, "label", field.Label);
                PostgresValues.Add(p, "length", field.Length == 0 ? null : field.Length, StorageKind.Integer);
                PostgresValues.Add(p, "precision", field.Precision == 0 ? null : field.Precision, StorageKind.Integer);
                PostgresValues.Add(p, "scale", field.Precision == 0 ? null : field.Scale, StorageKind.Integer);
                p.AddWithValue("required", field.Required);
                PostgresValues.Add(p, "default", field.DefaultValue is null ? null : Domain.Writes.FieldApplier.ToJson(field.DefaultValue).GetRawText());
                PostgresValues.Add(p, "values", field.PicklistValues.Count == 0 ? null : JsonSerializer.Serialize(field.PicklistValues, StorageJson.Default.IReadOnlyListString));
                PostgresValues.Add(p, "description", field.Description);
                PostgresValues.Add(p, "created", definition.CreatedAt);
                PostgresValues.Add(p, "updated", definition.UpdatedAt);
                p.AddWithValue("external", field.ExternalId);
                p.AddWithValue("unique", field.Unique);
                await command.ExecuteNonQueryAsync(ct);
            }
            await PostgresAudit.AppendAsync(connection, audit, ct);
            return 0;
        }, ct);
        if (field.Filterable) await db.CreateIndexAsync(PostgresCustomColumn.IndexName(obj, field), PostgresCustomColumn.IndexDdl(obj, field), ct);
    }

    public Task<string?> FindDuplicateValueAsync(TenantId tenant, ObjectMetadata obj, FieldMetadata field, CancellationToken ct)
    {
        if (!CustomFieldBuilder.IsValidApiName(field.Name)) throw new ArgumentException($"Invalid custom field name {field.Name}.", nameof(field));
        string column = PostgresCustomColumn.Of(field);
        string sql = $"SELECT {column} FROM {obj.Table} WHERE tenant_id = @tenant AND NOT IsDeleted AND {column} IS NOT NULL GROUP BY {column} HAVING COUNT(*) > 1 LIMIT 1";
        return db.InTenantAsync(tenant, async connection =>
        {
            await using var command = new NpgsqlCommand(sql, connection);
            PostgresValues.AddTenant(command.Parameters, tenant);
            return await command.ExecuteScalarAsync(ct) is { } value and not DBNull ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : null;
        }, ct);
    }

    static long? NullableInt(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt32(ordinal);
}
