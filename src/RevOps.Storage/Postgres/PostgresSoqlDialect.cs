using RevOps.Domain.Metadata;
using RevOps.Storage.Soql;

namespace RevOps.Storage.Postgres;

/// <summary>
/// SOQL's SQL for PostgreSQL. NOCASE becomes revops_nocase (the ICU collation the NOCASE columns
/// have); LIKE becomes ILIKE under the "C" collation, which like SQLite's LIKE folds ASCII letters
/// only; custom fields are their typed jsonb expressions (the ones their indexes are built on).
/// </summary>
internal sealed class PostgresSoqlDialect : SoqlDialect
{
    public static PostgresSoqlDialect Instance { get; } = new();

    public override string Parameter(string name) => "@" + name;

    public override string NotDeleted(string alias) => $"NOT {alias}.IsDeleted";

    public override string CustomColumn(string alias, FieldMetadata field) => PostgresCustomColumn.Of(field, alias + ".");

    public override string NoCase => " COLLATE revops_nocase";

    public override string Like(string left, string pattern) => $"{left} COLLATE \"C\" ILIKE {pattern} ESCAPE '\\'";

    public override string Not(string condition) => $"NOT COALESCE({condition}, false)";

    public override string False => "false";

    // SUM of bigint and AVG give numeric; the reader wants a double, as SQLite returns.
    public override string Sum(string inner) => $"SUM({inner})::double precision";

    public override string Avg(string inner) => $"AVG({inner})::double precision";

    public override string InParents(string column) => $"{column} = ANY(@parents)";

    public override string IdOrder(string idColumn, bool filtered) => idColumn;

    public override string CountAfterLimit(string from) => $"SELECT COUNT(*) FROM (SELECT 1 {from} LIMIT @limit OFFSET @offset) AS page";

    public override object Value(object value, bool custom) => custom ? PostgresCustomColumn.Value(value) : value;

    public override StorageKind ParameterKind(FieldMetadata field, bool custom) => custom ? PostgresCustomColumn.ParameterKind(field) : field.Storage;
}
