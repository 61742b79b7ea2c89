using RevOps.Domain.Metadata;
using RevOps.Domain.Schema;

namespace RevOps.Storage.Records;

/// <summary>
/// The rows of one object in its table: a standard object's table holds only its rows; custom objects share
/// custom_object_records, where object_name tells them apart. The name is a registry name (letters, digits,
/// underscores, __c: checked again here), so it is written into the SQL like a column name, never a caller's value.
/// </summary>
internal static class ObjectRows
{
    /// <summary>" AND t0.object_name = 'Invoice__c'" for a custom object, "" for a standard one.</summary>
    public static string Filter(ObjectMetadata obj, string alias = "") =>
        obj.StoredAs is null ? "" : $" AND {(alias.Length > 0 ? alias + "." : "")}object_name = {Literal(obj)}";

    /// <summary>The object's name as a SQL literal.</summary>
    public static string Literal(ObjectMetadata obj) =>
        CustomFieldBuilder.IsValidApiName(obj.StoredAs!) ? $"'{obj.StoredAs}'" : throw new ArgumentException($"Invalid custom object name {obj.StoredAs}.", nameof(obj));
}
