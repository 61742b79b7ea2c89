using System.Globalization;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Storage.Sqlite;

namespace RevOps.Storage.Soql;

internal sealed class SqliteSoqlDialect : SoqlDialect
{
    public static SqliteSoqlDialect Instance { get; } = new();

    public override string Parameter(string name) => "$" + name;

    public override string NotDeleted(string alias) => $"{alias}.IsDeleted = 0";

    public override string CustomColumn(string alias, FieldMetadata field) => $"json_extract({alias}.custom_fields, '$.{field.Name}')";

    public override string NoCase => " COLLATE NOCASE";

    public override string Like(string left, string pattern) => $"{left} LIKE {pattern} ESCAPE '\\'";

    public override string Not(string condition) => $"NOT IFNULL({condition}, 0)";

    public override string False => "0";

    public override string Sum(string inner) => $"SUM({inner})";

    public override string Avg(string inner) => $"AVG({inner})";

    public override string InParents(string column) => $"{column} IN (SELECT value FROM json_each($parents))";

    // With a filter, "+Id" keeps SQLite from walking the primary key in Id order (skipping
    // non-matches) instead of using the filter's index and sorting the few rows that match.
    public override string IdOrder(string idColumn, bool filtered) => (filtered ? "+" : "") + idColumn;

    public override string CountAfterLimit(string from) => $"SELECT COUNT(*) FROM (SELECT 1 {from} LIMIT $limit OFFSET $offset)";

    /// <summary>Custom values compare as json_extract returns them: dates and datetimes as the text the JSON holds.</summary>
    public override object Value(object value, bool custom) => !custom ? ColumnValues.ToColumn(value) : value switch
    {
        DateTime time => ValueJson.FormatDateTime(time),
        DateOnly date => date.ToString(ValueJson.DateFormat, CultureInfo.InvariantCulture),
        _ => ColumnValues.ToColumn(value),
    };

    public override StorageKind ParameterKind(FieldMetadata field, bool custom) => field.Storage;
}
