using System.Text;
using RevOps.Domain.Metadata;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Schema;

/// <summary>
/// The table of one object, generated from the metadata registry in a dialect: the system columns
/// every record table has (tenant, version, custom fields, recycle-bin markers) are declared here
/// once, each field gets the column type its storage kind needs, NOCASE text its case-insensitive
/// collation, and the key is tenant-first. On PostgreSQL the table joins row-level security. New
/// objects get their tables from this (a migration of theirs runs <see cref="Create"/>); the six
/// standard objects keep the tables their old migrations made, which the storage contract suite
/// checks to be column for column what this generates.
/// </summary>
internal static class ObjectTable
{
    /// <summary>The statements that create the object's table, its Id-unique key and its tenant guard.</summary>
    public static string Create(ObjectMetadata obj, SqlDialect dialect, string? tableName = null)
    {
        string table = tableName ?? obj.Table;
        var sql = new StringBuilder();
        sql.Append("CREATE TABLE ").Append(table).Append(" (\n");
        sql.Append("    tenant_id ").Append(dialect.TenantColumnType).Append(" NOT NULL,\n");
        sql.Append("    row_version ").Append(dialect.ColumnType(StorageKind.Integer, ignoreCase: false)).Append(" NOT NULL,\n");
        sql.Append("    custom_fields ").Append(dialect.JsonColumnType).Append(",\n");
        sql.Append("    deleted_at ").Append(dialect.ColumnType(StorageKind.DateTime, ignoreCase: false)).Append(",\n");
        sql.Append("    deleted_with ").Append(dialect.ColumnType(StorageKind.Text, ignoreCase: false)).Append(",\n");
        foreach (var field in obj.Fields)
        {
            sql.Append("    ").Append(field.Name).Append(' ').Append(dialect.ColumnType(field.Storage, field.IgnoreCase));
            if (field.Name == "IsDeleted") sql.Append(" NOT NULL DEFAULT ").Append(dialect.False);
            else if (field.Name is "Id" or "CreatedDate" or "LastModifiedDate" or "SystemModstamp") sql.Append(" NOT NULL");
            sql.Append(",\n");
        }
        sql.Append("    PRIMARY KEY (tenant_id, Id)\n);\n");
        sql.Append("CREATE INDEX ix_").Append(table).Append("_deleted ON ").Append(table).Append(" (tenant_id, deleted_at)")
            .Append(" WHERE IsDeleted = ").Append(dialect.True).Append(";\n");
        sql.Append(dialect.GuardTenantTable(table));
        return sql.ToString();
    }
}
