using System.Data.Common;

namespace RevOps.Storage.Sql;

/// <summary>
/// One connection inside one transaction, handed to a storage algorithm by <see cref="SqlDatabase"/>.
/// Commands it gives out belong to it (SQLite keeps them prepared for reuse; PostgreSQL's driver
/// prepares them itself) and must not be disposed by the caller; readers must be.
/// </summary>
internal abstract class SqlSession
{
    public abstract SqlDialect Dialect { get; }

    /// <summary>A command for <paramref name="sql"/> in this session's transaction, with no parameters bound.</summary>
    public abstract DbCommand Command(string sql);

    /// <summary>
    /// Runs the statements in order and returns the first value of the first one that returns a row (null when none
    /// does). Here one at a time (SQLite runs in-process, so a statement costs no round trip); PostgreSQL sends them all
    /// in one round trip.
    /// </summary>
    public virtual async Task<object?> ExecuteEachAsync(SqlStatements statements, CancellationToken ct)
    {
        object? first = null;
        for (int i = 0; i < statements.Count; i++)
        {
            var command = Command(statements.Sql(i));
            statements.Bind(command, i);
            if (first is null) first = await command.ExecuteScalarAsync(ct);
            else await command.ExecuteNonQueryAsync(ct);
        }
        return first;
    }

    /// <summary>Set when the open transaction appended to the change log; the database pulses its <see cref="ChangeSignal"/> after the commit.</summary>
    public bool ChangeAppended { get; set; }
}
