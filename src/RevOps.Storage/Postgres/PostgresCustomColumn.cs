using System.Globalization;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;

namespace RevOps.Storage.Postgres;

/// <summary>
/// A custom field as a typed SQL expression over the custom_fields jsonb: numbers and checkboxes
/// through the migration's never-failing readers, everything else as the text the JSON holds (so
/// dates compare as their ISO text, as on SQLite). The same expression names the field's index.
/// The name is a validated custom field name (letters, digits, underscores, __c), never input.
/// </summary>
internal static class PostgresCustomColumn
{
    public static string Of(FieldMetadata field, string table = "") => field.Storage switch
    {
        StorageKind.Real or StorageKind.Integer => $"revops_json_float({table}custom_fields->'{field.Name}')",
        StorageKind.Boolean => $"revops_json_bool({table}custom_fields->'{field.Name}')",
        _ => $"({table}custom_fields->>'{field.Name}')",
    };

    /// <summary>The kind of parameter a value compared with <see cref="Of"/> needs.</summary>
    public static StorageKind ParameterKind(FieldMetadata field) => field.Storage switch
    {
        StorageKind.Real or StorageKind.Integer => StorageKind.Real,
        StorageKind.Boolean => StorageKind.Boolean,
        _ => StorageKind.Text,
    };

    /// <summary>A domain value as <see cref="Of"/> yields it: dates and datetimes as the text the JSON holds.</summary>
    public static object Value(object value) => value switch
    {
        DateTime time => ValueJson.FormatDateTime(time),
        DateOnly date => date.ToString(ValueJson.DateFormat, CultureInfo.InvariantCulture),
        _ => value,
    };

    /// <summary>A stored JSON value of the field, for the unique check.</summary>
    public static object Value(FieldMetadata field, System.Text.Json.JsonElement value) => ParameterKind(field) switch
    {
        StorageKind.Real => value.GetDouble(),
        StorageKind.Boolean => value.GetBoolean(),
        _ => value.ToString(),
    };

    /// <summary>The index over the field's expression for one object, shared by every tenant that defines a field of this name and kind.</summary>
    public static string IndexName(ObjectMetadata obj, FieldMetadata field) =>
        $"ix_{obj.Table}_cf_{field.Name.ToLowerInvariant()}_{ParameterKind(field).ToString().ToLowerInvariant()}";

    /// <summary>Builds the index without blocking writes; <see cref="PostgresDatabase.CreateIndexAsync"/> runs it.</summary>
    public static string IndexDdl(ObjectMetadata obj, FieldMetadata field) =>
        $"CREATE INDEX CONCURRENTLY {IndexName(obj, field)} ON {obj.Table} (tenant_id, {Of(field)})";
}
