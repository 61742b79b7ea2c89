namespace RevOps.Storage.Sqlite;

/// <summary>
/// LIMIT and OFFSET as bound parameters that do not cost a recompile per run. SQLite plans with
/// the value of a bound LIMIT, so it marks the statement to be compiled again whenever that
/// parameter is bound, which Microsoft.Data.Sqlite does on every execution; the unary plus makes
/// the limit an expression the planner does not read, and the prepared statement stays valid.
/// (SOQL keeps plain LIMIT parameters: there the plan that knows the limit is worth a compile.)
/// </summary>
internal static class SqlitePaging
{
    public const string Limit = "LIMIT +$limit";
    public const string LimitOffset = "LIMIT +$limit OFFSET $offset";
}
