using System.Data.Common;
using System.Text.Json;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Tenancy;

namespace RevOps.Storage.Sql;

/// <summary>
/// Everything the storage algorithms need to know about the engine they run on: how values are
/// stored and bound (SQLite keeps booleans as 0/1 and times as ISO text, PostgreSQL has types),
/// the few spellings only one engine knows, and the locking clauses SQLite has no use for (its one
/// writer already serializes). The algorithms (record commit, record and SOQL queries, the webhook
/// outbox) are written once over this; each engine has one subclass, SqliteDialect or PostgresDialect.
/// Every parameter is written "@name" and bound under that name: both drivers accept it.
/// </summary>
internal abstract class SqlDialect
{
    // ---- values in and out ----

    /// <summary>Binds the tenant (text on SQLite, uuid on PostgreSQL).</summary>
    public abstract void AddTenant(DbCommand command, TenantId tenant);

    /// <summary>Binds a field value stored as <paramref name="kind"/>; null binds a typed NULL.</summary>
    public abstract void Add(DbCommand command, string name, object? value, StorageKind kind);

    public void AddText(DbCommand command, string name, string? value) => Add(command, name, value, StorageKind.Text);

    public void AddLong(DbCommand command, string name, long? value) => Add(command, name, value, StorageKind.Integer);

    public void AddTime(DbCommand command, string name, DateTime? value) => Add(command, name, value, StorageKind.DateTime);

    /// <summary>Binds a record's custom fields (JSON text on SQLite, jsonb on PostgreSQL; NULL when it has none).</summary>
    public abstract void AddCustom(DbCommand command, string name, SortedDictionary<string, JsonElement> custom);

    /// <summary>Binds the Ids of a page of parents for <see cref="InParents"/>.</summary>
    public abstract void AddParents(DbCommand command, string[] parentIds);

    /// <summary>Binds a SOQL LIMIT that may be absent (no limit).</summary>
    public abstract void AddOptionalLimit(DbCommand command, string name, long? limit);

    public abstract object? Read(DbDataReader reader, int ordinal, StorageKind kind);

    public DateTime ReadTime(DbDataReader reader, int ordinal) => (DateTime)Read(reader, ordinal, StorageKind.DateTime)!;

    public DateTime? ReadNullableTime(DbDataReader reader, int ordinal) => Read(reader, ordinal, StorageKind.DateTime) as DateTime?;

    public string? ReadNullableText(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public abstract TenantId ReadTenant(DbDataReader reader, int ordinal);

    /// <summary>A column's value in the portable form of a tenant copy (TenantCopy.TableBatch: SQLite's storage form).</summary>
    public abstract object? ReadPortable(DbDataReader reader, int ordinal);

    public SortedDictionary<string, JsonElement> ReadCustom(DbDataReader reader, int ordinal)
    {
        var custom = new SortedDictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        if (reader.IsDBNull(ordinal)) return custom;
        using var document = JsonDocument.Parse(reader.GetString(ordinal));
        foreach (var property in document.RootElement.EnumerateObject()) custom[property.Name] = property.Value.Clone();
        return custom;
    }

    /// <summary>A custom field read through <see cref="CustomColumn"/>, as the JSON value the record holds.</summary>
    public abstract JsonElement ReadCustomValue(FieldMetadata field, object raw);

    /// <summary>The JSON custom_fields column as one text, or null when a record has none.</summary>
    protected static string? CustomJson(SortedDictionary<string, JsonElement> custom)
    {
        if (custom.Count == 0) return null;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in custom)
            {
                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    // ---- full-text search (FTS5 on SQLite, tsvector on PostgreSQL) ----

    public abstract Search.SearchSql Search { get; }

    // ---- duplicate look-ups (migration 0017's expression indexes on search_doc) ----

    /// <summary>The indexed expressions of search_doc that hold <paramref name="key"/> (a phone: Phone's and MobilePhone's).</summary>
    public abstract IReadOnlyList<string> DuplicateKey(Domain.Duplicates.DuplicateKey key);

    /// <summary>
    /// The look-up of <paramref name="key"/>: search_doc's rows of @tenant whose key is one of @parents, at most @limit, as
    /// (object, record_id, name, email, phone, mobile_phone, company, account_id, website). One SELECT per indexed expression
    /// of the key, joined by UNION, so each seeks its own index; SQLite planned "phone IN (...) OR mobile IN (...)" as a scan
    /// of all the tenant's documents.
    /// </summary>
    public virtual string DuplicateCandidates(Domain.Duplicates.DuplicateKey key) =>
        string.Join(" UNION ", DuplicateKey(key).Select(column => $"""
            SELECT object, record_id, name, email, phone, mobile_phone, company, account_id, website FROM search_doc
            WHERE tenant_id = @tenant AND {InParents(column)}
            """)) + " " + Limit;

    // ---- tables (Schema/ObjectTable generates record tables from the registry) ----

    /// <summary>The column type of a field stored as <paramref name="kind"/>; <paramref name="ignoreCase"/> text compares case-insensitively.</summary>
    public abstract string ColumnType(StorageKind kind, bool ignoreCase);

    public abstract string TenantColumnType { get; }

    public abstract string JsonColumnType { get; }

    /// <summary>What puts a new tenant table behind the engine's tenant wall (PostgreSQL's row-level security; nothing on SQLite).</summary>
    public abstract string GuardTenantTable(string table);

    /// <summary>Whether a statement failed on a unique index (a value another row of any tenant holds).</summary>
    public abstract bool IsUniqueViolation(DbException error);

    // ---- spellings ----

    /// <summary>The marker of a named parameter.</summary>
    public string Parameter(string name) => "@" + name;

    /// <summary>The boolean literals as the engine stores them.</summary>
    public abstract string True { get; }

    public abstract string False { get; }

    /// <summary>Live rows only, on the source with this alias ("" for none).</summary>
    public string NotDeleted(string alias = "") => $"{(alias.Length > 0 ? alias + "." : "")}IsDeleted = {False}";

    /// <summary>A custom field as a typed SQL expression over the custom_fields JSON of the source <paramref name="alias"/> ("" for none).</summary>
    public abstract string CustomColumn(string alias, FieldMetadata field);

    /// <summary>Whether a row's custom_fields holds a value under <paramref name="name"/> (a checked API name).</summary>
    public abstract string HasCustomValue(string name);

    /// <summary>The row's custom_fields without <paramref name="name"/> (a checked API name).</summary>
    public abstract string WithoutCustomValue(string name);

    public string Column(FieldMetadata field, string alias = "") =>
        field.Custom ? CustomColumn(alias, field) : alias.Length > 0 ? $"{alias}.{field.Name}" : field.Name;

    /// <summary>Appended to a text expression to compare and sort it case-insensitively.</summary>
    public abstract string NoCase { get; }

    /// <summary>A SOQL LIKE: case-insensitive for ASCII letters, '\' escaping % and _.</summary>
    public abstract string Like(string left, string pattern);

    /// <summary>"a is not b", NULLs compared as values.</summary>
    public abstract string DistinctFrom { get; }

    /// <summary>The ORDER BY direction, placing NULLs as SQLite does (first ascending, last descending).</summary>
    public abstract string Direction(bool descending);

    /// <summary>LIMIT @limit OFFSET @offset of a statement run over and over with other values.</summary>
    public abstract string LimitOffset { get; }

    /// <summary>LIMIT @limit of such a statement.</summary>
    public abstract string Limit { get; }

    /// <summary>True where the condition is false or unknown.</summary>
    public abstract string Not(string condition);

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

    /// <summary>A stored JSON value of a custom field as a parameter compared with <see cref="CustomColumn"/> (the unique check).</summary>
    public abstract object CustomValue(FieldMetadata field, JsonElement value);

    /// <summary>
    /// A condition whose answer the engine knows without asking (PostgreSQL's text cannot hold U+0000), or
    /// one the engine must be asked differently (SQLite refuses LIKE patterns over 50,000 bytes); null for the usual SQL.
    /// </summary>
    public abstract string? Special(Condition condition, string column, Func<object, StorageKind, string> parameter);

    // ---- locking (PostgreSQL; SQLite's single writer already serializes) ----

    /// <summary>Appended to a SELECT that must lock the rows it reads until the transaction ends.</summary>
    public abstract string ForUpdate { get; }

    /// <summary>Appended to a SELECT that locks the rows of <paramref name="alias"/> that no other transaction holds, skipping those.</summary>
    public abstract string ForUpdateSkipLocked(string alias);

    public static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    // ---- date buckets ----

    /// <summary>The "YYYY-MM" month of a date column (the pipeline's close-month buckets).</summary>
    public abstract string Month(string dateColumn);

    // ---- batches of keyed times (the keys' last-use flush) ----

    /// <summary>Binds the pairs as one batch named <paramref name="name"/>, for <see cref="IdTimes"/>.</summary>
    public abstract void AddIdTimes(DbCommand command, string name, IReadOnlyDictionary<string, DateTime> pairs);

    /// <summary>The batch bound by <see cref="AddIdTimes"/> as a FROM source <paramref name="alias"/> with the columns id (text) and at (a time as stored).</summary>
    public abstract string IdTimes(string name, string alias);

    /// <summary>Binds an embedding (null for a tombstone): a float32 BLOB in SQLite, real[] in PostgreSQL.</summary>
    public abstract void AddVector(DbCommand command, string name, float[]? vector);

    /// <summary>Reads what <see cref="AddVector"/> stored.</summary>
    public abstract float[]? ReadVector(DbDataReader reader, int ordinal);
}
