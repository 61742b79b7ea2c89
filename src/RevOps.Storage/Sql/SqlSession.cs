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
    /// Runs <paramref name="count"/> statements in order, the i-th <paramref name="sql"/>(i) bound by <paramref name="bind"/>(command, i),
    /// and returns the first one's first value (null when it returns no row). Here one at a time (SQLite runs in-process, so a
    /// statement costs no round trip); PostgreSQL sends them all in one round trip.
    /// </summary>
    public virtual async Task<object?> ExecuteEachAsync(int count, Func<int, string> sql, Action<DbCommand, int> bind, CancellationToken ct)
    {
        object? first = null;
        for (int i = 0; i < count; i++)
        {
            var command = Command(sql(i));
            bind(command, i);
            if (i == 0) first = await command.ExecuteScalarAsync(ct);
            else await command.ExecuteNonQueryAsync(ct);
        }
        return first;
    }

    /// <summary>Set when the open transaction appended to the change log; the database pulses its <see cref="ChangeSignal"/> after the commit.</summary>
    public bool ChangeAppended { get; set; }
}
