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
    /// and returns each one's rows affected. Here one at a time (SQLite runs in-process, so a statement costs no round trip);
    /// PostgreSQL sends them all in one round trip.
    /// </summary>
    public virtual async Task<int[]> ExecuteEachAsync(int count, Func<int, string> sql, Action<DbCommand, int> bind, CancellationToken ct)
    {
        var affected = new int[count];
        for (int i = 0; i < count; i++)
        {
            var command = Command(sql(i));
            bind(command, i);
            affected[i] = await command.ExecuteNonQueryAsync(ct);
        }
        return affected;
    }

    /// <summary>Set when the open transaction appended to the change log; the database pulses its <see cref="ChangeSignal"/> after the commit.</summary>
    public bool ChangeAppended { get; set; }
}
