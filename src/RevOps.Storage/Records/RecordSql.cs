using System.Text;
using RevOps.Domain.Metadata;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Records;

/// <summary>
/// The fixed statements for one object, built once per dialect from its metadata. Column names come
/// only from the registry; every value is a parameter (@tenant, @id, @f0…).
/// </summary>
internal sealed class RecordSql
{
    /// <summary>Bound names of the field parameters, in metadata order: made once, not per write.</summary>
    public static readonly string[] FieldParameters = Enumerable.Range(0, 256).Select(i => $"@f{i}").ToArray();

    /// <summary>Reader ordinal of the first field column.</summary>
    public const int FirstFieldOrdinal = 4;

    public RecordSql(ObjectMetadata obj, SqlDialect dialect)
    {
        string columns = string.Join(", ", obj.Fields.Select(f => f.Name));
        string rows = ObjectRows.Filter(obj);
        string nameColumn = obj.StoredAs is null ? "" : "object_name, ";
        string nameValue = obj.StoredAs is null ? "" : ObjectRows.Literal(obj) + ", ";
        SelectColumns = $"row_version, custom_fields, deleted_at, deleted_with, {columns}";
        SelectById = $"SELECT {SelectColumns} FROM {obj.Table} WHERE tenant_id = @tenant AND Id = @id{rows}";
        Exists = $"SELECT 1 FROM {obj.Table} WHERE tenant_id = @tenant AND Id = @id AND {dialect.NotDeleted()}{rows}";
        _insertInto = $"INSERT INTO {obj.Table} (tenant_id, {nameColumn}row_version, custom_fields, deleted_at, deleted_with, {columns}) VALUES ";
        _nameValue = nameValue;
        _fields = obj.Fields.Count;
        LiveAmong = $"SELECT Id FROM {obj.Table} WHERE tenant_id = @tenant AND {dialect.InParents("Id")} AND {dialect.NotDeleted()}{rows}";
        Insert = $"INSERT INTO {obj.Table} (tenant_id, {nameColumn}row_version, custom_fields, deleted_at, deleted_with, {columns}) " +
            $"VALUES (@tenant, {nameValue}1, @custom, @deleted_at, @deleted_with, {string.Join(", ", obj.Fields.Select((_, i) => FieldParameters[i]))})";
        var update = new StringBuilder($"UPDATE {obj.Table} SET row_version = row_version + 1, custom_fields = @custom, deleted_at = @deleted_at, deleted_with = @deleted_with");
        for (int i = 0; i < obj.Fields.Count; i++)
            if (obj.Fields[i].Name != "Id") update.Append($", {obj.Fields[i].Name} = {FieldParameters[i]}");
        update.Append(" WHERE tenant_id = @tenant AND Id = @f0 AND row_version = @version").Append(rows);
        Update = update.ToString();
        Purge = $"DELETE FROM {obj.Table} WHERE tenant_id = @tenant AND IsDeleted = {dialect.True} AND deleted_at < @cutoff{rows}";
    }

    readonly string _insertInto;
    readonly string _nameValue;
    readonly int _fields;
    readonly string?[] _insertRows = new string?[RecordRowsInsert.MaxRows + 1];

    /// <summary>An INSERT of <paramref name="rows"/> new records, bound as <see cref="RecordRowsInsert"/> names them; made once per count.</summary>
    public string InsertRows(int rows) =>
        _insertRows[rows] ??= _insertInto + string.Join(", ", Enumerable.Range(0, rows).Select(r => RecordRowsInsert.Values(r, _fields, _nameValue)));

    /// <summary>row_version, custom_fields, deleted_at, deleted_with, then every field in metadata order.</summary>
    public string SelectColumns { get; }
    public string SelectById { get; }
    public string Exists { get; }
    /// <summary>Which of the Ids bound with <see cref="SqlDialect.AddParents"/> are live records.</summary>
    public string LiveAmong { get; }
    public string Insert { get; }
    public string Update { get; }
    public string Purge { get; }
}
