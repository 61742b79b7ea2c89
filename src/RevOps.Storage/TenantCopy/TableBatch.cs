namespace RevOps.Storage.TenantCopy;

/// <summary>
/// Up to a few hundred rows of one tenant table, in the portable form both backends read and write:
/// text, 64-bit integers, doubles or null, exactly as SQLite stores them (times as ISO text in UTC,
/// dates as yyyy-MM-dd, checkboxes as 0/1, tenant ids as UUID text, JSON as text). The writer
/// converts each value to its column's type.
/// </summary>
public sealed record TableBatch(string Table, IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows);
