using System.Globalization;
using System.Text.Json;
using Dapper;
using RevOps.Domain.Metadata;
using RevOps.Domain.Rules;
using RevOps.Domain.Schema;
using RevOps.Domain.Stores;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Schema;

namespace RevOps.Storage.Sqlite;

/// <summary>
/// custom_field_definitions, plus one expression index per (object, field name) over
/// (tenant_id, json_extract(custom_fields, '$.name')): tenants that define a field of the same
/// name share the index, and every lookup through it is still tenant-first.
/// </summary>
public sealed class SqliteCustomFieldStore(SqliteDatabase db) : ICustomFieldStore
{
    const string Columns = "object_name AS ObjectName, api_name AS ApiName, field_type AS FieldType, label AS Label, length AS Length, precision AS Precision, " +
        "scale AS Scale, required AS Required, default_value AS DefaultValue, picklist_values AS PicklistValues, description AS Description, created_at AS CreatedAt, updated_at AS UpdatedAt, " +
        "external_id AS ExternalId, is_unique AS IsUnique";

    public Task<IReadOnlyList<CustomFieldDefinition>> ListAsync(TenantId tenant, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<CustomFieldDefinition>>(db.Read(session =>
            session.Connection.Query<Row>($"SELECT {Columns} FROM custom_field_definitions WHERE tenant_id = @Tenant ORDER BY object_name, api_name", new { Tenant = tenant.ToString() })
                .Select(r => r.ToDefinition()).ToList()));

    public Task SaveAsync(TenantId tenant, CustomFieldDefinition definition, Domain.Audit.AuditEntry audit, CancellationToken ct)
    {
        if (!StandardObjects.TryGet(definition.Object, out var obj)) throw new ArgumentException($"Unknown object {definition.Object}.", nameof(definition));
        var field = definition.Field;
        // The name is part of DDL, so it must be exactly what the builder allows: letters, digits, underscores, __c.
        if (!CustomFieldBuilder.IsValidApiName(field.Name)) throw new ArgumentException($"Invalid custom field name {field.Name}.", nameof(definition));
        return db.WriteAsync(session =>
        {
            session.Connection.Execute("""
                INSERT INTO custom_field_definitions (tenant_id, object_name, api_name, field_type, label, length, precision, scale, required, default_value, picklist_values, description, created_at, updated_at, external_id, is_unique)
                VALUES (@Tenant, @Object, @Name, @Type, @Label, @Length, @Precision, @Scale, @Required, @Default, @Values, @Description, @CreatedAt, @UpdatedAt, @ExternalId, @IsUnique)
                ON CONFLICT (tenant_id, object_name, api_name) DO UPDATE SET
                    field_type = excluded.field_type, label = excluded.label, length = excluded.length, precision = excluded.precision,
                    scale = excluded.scale, required = excluded.required, default_value = excluded.default_value,
                    picklist_values = excluded.picklist_values, description = excluded.description, updated_at = excluded.updated_at,
                    external_id = excluded.external_id, is_unique = excluded.is_unique
                """,
                new
                {
                    Tenant = tenant.ToString(),
                    Object = obj.Name,
                    field.Name,
                    Type = CustomFieldTypes.NameOf(field.Type),
                    field.Label,
                    Length = field.Length == 0 ? (int?)null : field.Length,
                    Precision = field.Precision == 0 ? (int?)null : field.Precision,
                    Scale = field.Precision == 0 ? (int?)null : field.Scale,
                    Required = field.Required ? 1 : 0,
                    Default = field.DefaultValue is null ? null : JsonText(field.DefaultValue),
                    Values = field.PicklistValues.Count == 0 ? null : JsonSerializer.Serialize(field.PicklistValues, StorageJson.Default.IReadOnlyListString),
                    field.Description,
                    CreatedAt = SqliteValues.FormatDateTime(definition.CreatedAt),
                    UpdatedAt = SqliteValues.FormatDateTime(definition.UpdatedAt),
                    ExternalId = field.ExternalId ? 1 : 0,
                    IsUnique = field.Unique ? 1 : 0,
                });
            SqliteAudit.Append(session, audit);
            if (field.Filterable)
                session.Execute($"CREATE INDEX IF NOT EXISTS ix_{obj.Table}_cf_{field.Name.ToLowerInvariant()} ON {obj.Table} (tenant_id, {SqliteDialect.Instance.Column(field)})");
            return 0;
        }, ct);
    }

    public Task<string?> FindDuplicateValueAsync(TenantId tenant, ObjectMetadata obj, FieldMetadata field, CancellationToken ct)
    {
        if (!CustomFieldBuilder.IsValidApiName(field.Name)) throw new ArgumentException($"Invalid custom field name {field.Name}.", nameof(field));
        string column = SqliteDialect.Instance.Column(field);
        string sql = $"SELECT {column} FROM {obj.Table} WHERE tenant_id = @Tenant AND IsDeleted = 0 AND {column} IS NOT NULL GROUP BY {column} HAVING COUNT(*) > 1 LIMIT 1";
        return Task.FromResult(db.Read(session => session.Connection.ExecuteScalar(sql, new { Tenant = tenant.ToString() })?.ToString()));
    }

    static string JsonText(object value) => Domain.Writes.FieldApplier.ToJson(value).GetRawText();

    sealed class Row
    {
        public string ObjectName { get; set; } = "";
        public string ApiName { get; set; } = "";
        public string FieldType { get; set; } = "";
        public string Label { get; set; } = "";
        public long? Length { get; set; }
        public long? Precision { get; set; }
        public long? Scale { get; set; }
        public long Required { get; set; }
        public string? DefaultValue { get; set; }
        public string? PicklistValues { get; set; }
        public string? Description { get; set; }
        public string CreatedAt { get; set; } = "";
        public string? UpdatedAt { get; set; }
        public long ExternalId { get; set; }
        public long IsUnique { get; set; }

        public CustomFieldDefinition ToDefinition()
        {
            var created = Parse(CreatedAt);
            return CustomFieldRow.ToDefinition(ObjectName, ApiName, FieldType, Label, Length, Precision, Scale, Required != 0, DefaultValue, PicklistValues,
                Description, created, UpdatedAt is null ? created : Parse(UpdatedAt), ExternalId != 0, IsUnique != 0);
        }

        static DateTime Parse(string text) =>
            DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
    }
}
