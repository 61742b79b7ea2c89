using System.Globalization;
using System.Text.Json;
using RevOps.Domain.Metadata;
using RevOps.Domain.Rules;
using RevOps.Domain.Schema;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Audit;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Schema;

/// <summary>
/// custom_field_definitions, plus one expression index per object and field over (tenant_id, the
/// field's expression): tenants that define a field of the same name share it, and every lookup
/// through it is still tenant-first. The index is built after the definition commits, the one part
/// the engines do differently (<see cref="SqlDatabase.CreateCustomFieldIndexAsync"/>).
/// </summary>
internal sealed class CustomFieldStore(SqlDatabase db) : ICustomFieldStore
{
    const string Columns = "object_name, api_name, field_type, label, length, precision, scale, required, default_value, picklist_values, description, created_at, updated_at, external_id, is_unique, reference_to, on_delete, relationship_name";

    const string Upsert = """
        INSERT INTO custom_field_definitions (tenant_id, object_name, api_name, field_type, label, length, precision, scale, required, default_value, picklist_values, description, created_at, updated_at, external_id, is_unique, reference_to, on_delete, relationship_name)
        VALUES (@tenant, @object, @name, @type, @label, @length, @precision, @scale, @required, @default, @values, @description, @created, @updated, @external, @unique, @reference_to, @on_delete, @relationship)
        ON CONFLICT (tenant_id, object_name, api_name) DO UPDATE SET
            field_type = excluded.field_type, label = excluded.label, length = excluded.length, precision = excluded.precision,
            scale = excluded.scale, required = excluded.required, default_value = excluded.default_value,
            picklist_values = excluded.picklist_values, description = excluded.description, updated_at = excluded.updated_at,
            external_id = excluded.external_id, is_unique = excluded.is_unique, reference_to = excluded.reference_to,
            on_delete = excluded.on_delete, relationship_name = excluded.relationship_name
        """;

    public Task<IReadOnlyList<CustomFieldDefinition>> ListAsync(TenantId tenant, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<CustomFieldDefinition>>(tenant, async session =>
        {
            var d = session.Dialect;
            var command = session.Command($"SELECT {Columns} FROM custom_field_definitions WHERE tenant_id = @tenant ORDER BY object_name, api_name");
            d.AddTenant(command, tenant);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var definitions = new List<CustomFieldDefinition>();
            while (await reader.ReadAsync(ct))
            {
                var created = d.ReadTime(reader, 11);
                definitions.Add(CustomFieldRow.ToDefinition(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    (long?)d.Read(reader, 4, StorageKind.Integer), (long?)d.Read(reader, 5, StorageKind.Integer), (long?)d.Read(reader, 6, StorageKind.Integer),
                    (bool)d.Read(reader, 7, StorageKind.Boolean)!, d.ReadNullableText(reader, 8), d.ReadNullableText(reader, 9), d.ReadNullableText(reader, 10),
                    created, d.ReadNullableTime(reader, 12) ?? created, (bool)d.Read(reader, 13, StorageKind.Boolean)!, (bool)d.Read(reader, 14, StorageKind.Boolean)!,
                    d.ReadNullableText(reader, 15), d.ReadNullableText(reader, 16), d.ReadNullableText(reader, 17)));
            }
            return definitions;
        }, ct);

    public async Task SaveAsync(TenantId tenant, CustomFieldDefinition definition, Domain.Audit.AuditEntry audit, CancellationToken ct)
    {
        var obj = StandardObjects.TryGet(definition.Object, out var standard) ? standard
            : CustomFieldBuilder.IsValidApiName(definition.Object) ? CustomObjectMetadata.Create(definition.Object, "a00", definition.Object, definition.Object, "Name", null)
            : throw new ArgumentException($"Unknown object {definition.Object}.", nameof(definition));
        var field = definition.Field;
        // The name is part of DDL, so it must be exactly what the builder allows: letters, digits, underscores, __c.
        if (!CustomFieldBuilder.IsValidApiName(field.Name)) throw new ArgumentException($"Invalid custom field name {field.Name}.", nameof(definition));
        await db.WriteAsync(tenant, async session =>
        {
            var d = session.Dialect;
            var command = session.Command(Upsert);
            d.AddTenant(command, tenant);
            d.AddText(command, "@object", obj.Name);
            d.AddText(command, "@name", field.Name);
            d.AddText(command, "@type", CustomFieldTypes.NameOf(field));
            d.AddText(command, "@reference_to", field.ReferenceTo.Count == 0 ? null : field.ReferenceTo[0]);
            d.AddText(command, "@on_delete", field.Type != FieldType.Reference ? null : field.OnDelete.ToString().ToLowerInvariant());
            d.AddText(command, "@relationship", field.ChildRelationshipName);
            d.AddText(command, "@label", field.Label);
            d.AddLong(command, "@length", field.Length == 0 ? null : field.Length);
            d.AddLong(command, "@precision", field.Precision == 0 ? null : field.Precision);
            d.AddLong(command, "@scale", field.Precision == 0 ? null : field.Scale);
            d.Add(command, "@required", field.Required, StorageKind.Boolean);
            d.AddText(command, "@default", field.DefaultValue is null ? null : Domain.Writes.FieldApplier.ToJson(field.DefaultValue).GetRawText());
            d.AddText(command, "@values", field.PicklistValues.Count == 0 ? null : JsonSerializer.Serialize(field.PicklistValues, StorageJson.Default.IReadOnlyListString));
            d.AddText(command, "@description", field.Description);
            d.AddTime(command, "@created", definition.CreatedAt);
            d.AddTime(command, "@updated", definition.UpdatedAt);
            d.Add(command, "@external", field.ExternalId, StorageKind.Boolean);
            d.Add(command, "@unique", field.Unique, StorageKind.Boolean);
            await command.ExecuteNonQueryAsync(ct);
            await AuditAppend.AppendAsync(session, audit, ct);
            return 0;
        }, ct);
        if (field.Filterable) await db.CreateCustomFieldIndexAsync(obj, field, ct);
    }

    public Task<bool> DeleteAsync(TenantId tenant, ObjectMetadata obj, FieldMetadata field, Func<int, Domain.Audit.AuditEntry> audit, CancellationToken ct)
    {
        // The name goes into SQL text (a JSON key), so it must be exactly what the builder allows.
        if (!CustomFieldBuilder.IsValidApiName(field.Name)) throw new ArgumentException($"Invalid custom field name {field.Name}.", nameof(field));
        return db.WriteAsync(tenant, async session =>
        {
            var d = session.Dialect;
            var delete = session.Command("DELETE FROM custom_field_definitions WHERE tenant_id = @tenant AND object_name = @object AND api_name = @name");
            d.AddTenant(delete, tenant);
            d.AddText(delete, "@object", obj.Name);
            d.AddText(delete, "@name", field.Name);
            if (await delete.ExecuteNonQueryAsync(ct) == 0) return false;
            // Every row, the recycle bin's too: a restored record must not bring the value back.
            var clear = session.Command($"UPDATE {obj.Table} SET custom_fields = {d.WithoutCustomValue(field.Name)}, row_version = row_version + 1 " +
                $"WHERE tenant_id = @tenant{Records.ObjectRows.Filter(obj)} AND {d.HasCustomValue(field.Name)}");
            d.AddTenant(clear, tenant);
            int cleared = await clear.ExecuteNonQueryAsync(ct);
            await AuditAppend.AppendAsync(session, audit(cleared), ct);
            return true;
        }, ct);
    }

    public Task<string?> FindDuplicateValueAsync(TenantId tenant, ObjectMetadata obj, FieldMetadata field, CancellationToken ct)
    {
        if (!CustomFieldBuilder.IsValidApiName(field.Name)) throw new ArgumentException($"Invalid custom field name {field.Name}.", nameof(field));
        var d = db.Dialect;
        string column = d.Column(field);
        string sql = $"SELECT {column} FROM {obj.Table} WHERE tenant_id = @tenant AND {d.NotDeleted()}{Records.ObjectRows.Filter(obj)} AND {column} IS NOT NULL GROUP BY {column} HAVING COUNT(*) > 1 LIMIT 1";
        return db.ReadAsync(tenant, async session =>
        {
            var command = session.Command(sql);
            session.Dialect.AddTenant(command, tenant);
            return await command.ExecuteScalarAsync(ct) is { } value and not DBNull ? Convert.ToString(value, CultureInfo.InvariantCulture) : null;
        }, ct);
    }
}
