using RevOps.Domain.Metadata;

namespace RevOps.Storage.Soql;

/// <summary>
/// What differs between the SQL that <see cref="SoqlSql"/> writes for SQLite and for PostgreSQL:
/// parameter markers, custom-field expressions, case-insensitive comparison, LIKE, and the few
/// spellings that only one of them knows. The statement's shape is written once, in SoqlSql.
/// </summary>
internal abstract class SoqlDialect
{
    /// <summary>The marker of a named parameter: $p0 or @p0.</summary>
    public abstract string Parameter(string name);

    /// <summary>Live rows only, on the source with this alias.</summary>
    public abstract string NotDeleted(string alias);

    public abstract string CustomColumn(string alias, FieldMetadata field);

    /// <summary>Appended to a text expression to compare and sort it case-insensitively.</summary>
    public abstract string NoCase { get; }

    /// <summary>A SOQL LIKE: case-insensitive for ASCII letters, '\' escaping % and _.</summary>
    public abstract string Like(string left, string pattern);

    /// <summary>True where the condition is false or unknown.</summary>
    public abstract string Not(string condition);

    /// <summary>The literal that never holds.</summary>
    public abstract string False { get; }

    public abstract string Sum(string inner);

    public abstract string Avg(string inner);

    /// <summary>The child's parent key among the page's parent Ids (the "parents" parameter).</summary>
    public abstract string InParents(string column);

    /// <summary>The Id as the last ORDER BY term; <paramref name="filtered"/> when a WHERE may be better served by its own index.</summary>
    public abstract string IdOrder(string idColumn, bool filtered);

    /// <summary>SELECT COUNT(*) of the rows after LIMIT (limit) and OFFSET (offset).</summary>
    public abstract string CountAfterLimit(string from);

    /// <summary>A literal's value as a parameter compared with the field (custom fields compare as their expression yields).</summary>
    public abstract object Value(object value, bool custom);

    /// <summary>The type of a parameter compared with a field; <see cref="StorageKind.Real"/> for number aggregates.</summary>
    public abstract StorageKind ParameterKind(FieldMetadata field, bool custom);
}
