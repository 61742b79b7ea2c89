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

    /// <summary>Set when the open transaction appended to the change log; the database pulses its <see cref="ChangeSignal"/> after the commit.</summary>
    public bool ChangeAppended { get; set; }
}
