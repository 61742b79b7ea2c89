using System.Collections.Frozen;
using System.Text;
using RevOps.Domain.Metadata;

namespace RevOps.Storage.Postgres;

/// <summary>
/// The fixed statements for one object, built once from its metadata. Column names come only
/// from the registry; every value is a parameter (@tenant, @id, @f0…).
/// </summary>
internal sealed class PostgresRecordSql
{
    // Before ByObject: static fields initialize in order, and building the statements uses these names.
    static readonly string[] FieldParameters = Enumerable.Range(0, 256).Select(i => $"f{i}").ToArray();

    static readonly FrozenDictionary<string, PostgresRecordSql> ByObject =
        StandardObjects.All.ToFrozenDictionary(o => o.Name, o => new PostgresRecordSql(o));

    public static PostgresRecordSql For(ObjectMetadata obj) => ByObject[obj.Name];

    public static string FieldParameter(int i) => FieldParameters[i];

    PostgresRecordSql(ObjectMetadata obj)
    {
        string columns = string.Join(", ", obj.Fields.Select(f => f.Name));
        SelectColumns = $"row_version, custom_fields, deleted_at, deleted_with, {columns}";
        SelectById = $"SELECT {SelectColumns} FROM {obj.Table} WHERE tenant_id = @tenant AND Id = @id";
        Exists = $"SELECT 1 FROM {obj.Table} WHERE tenant_id = @tenant AND Id = @id AND NOT IsDeleted";
        Insert = $"INSERT INTO {obj.Table} (tenant_id, row_version, custom_fields, deleted_at, deleted_with, {columns}) " +
            $"VALUES (@tenant, 1, @custom, @deleted_at, @deleted_with, {string.Join(", ", obj.Fields.Select((_, i) => "@" + FieldParameters[i]))})";
        var update = new StringBuilder($"UPDATE {obj.Table} SET row_version = row_version + 1, custom_fields = @custom, deleted_at = @deleted_at, deleted_with = @deleted_with");
        for (int i = 0; i < obj.Fields.Count; i++)
            if (obj.Fields[i].Name != "Id") update.Append($", {obj.Fields[i].Name} = @{FieldParameters[i]}");
        update.Append(" WHERE tenant_id = @tenant AND Id = @f0 AND row_version = @version");
        Update = update.ToString();
        Purge = $"DELETE FROM {obj.Table} WHERE tenant_id = @tenant AND IsDeleted AND deleted_at < @cutoff";
    }

    /// <summary>row_version, custom_fields, deleted_at, deleted_with, then every field in metadata order.</summary>
    public string SelectColumns { get; }
    public string SelectById { get; }
    public string Exists { get; }
    public string Insert { get; }
    public string Update { get; }
    public string Purge { get; }

    /// <summary>Reader ordinal of the first field column.</summary>
    public const int FirstFieldOrdinal = 4;
}
