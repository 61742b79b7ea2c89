using System.Data.Common;

namespace RevOps.Storage.Sql;

/// <summary>
/// Statements to run in order through <see cref="SqlSession.ExecuteEachAsync"/>: the i-th is <see cref="Sql"/>(i), bound by
/// <see cref="Bind"/>(command, i). Parts written by different algorithms join with <see cref="Then"/>, so PostgreSQL sends
/// them in one round trip where each alone would take its own.
/// </summary>
internal sealed record SqlStatements(int Count, Func<int, string> Sql, Action<DbCommand, int> Bind)
{
    /// <summary>These statements, then <paramref name="next"/>'s.</summary>
    public SqlStatements Then(SqlStatements next) => new(Count + next.Count,
        i => i < Count ? Sql(i) : next.Sql(i - Count),
        (command, i) =>
        {
            if (i < Count) Bind(command, i);
            else next.Bind(command, i - Count);
        });
}
