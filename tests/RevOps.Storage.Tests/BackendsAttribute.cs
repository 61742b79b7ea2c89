using System.Reflection;
using Xunit.Sdk;
using Xunit.v3;

namespace RevOps.Storage.Tests;

/// <summary>
/// Runs a contract test once per backend: always on SQLite, and on PostgreSQL when REVOPS_TEST_PG holds
/// a connection string to a server whose user may create databases (tests/postgres/cluster.sh starts one).
/// Without it the PostgreSQL cases are not generated at all, so they can never pass silently; test.sh runs
/// this project a second time with REVOPS_TEST_PG set.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BackendsAttribute : DataAttribute
{
    public const string Sqlite = "SQLite";
    public const string Postgres = "PostgreSQL";

    /// <summary>The PostgreSQL server the tests may use, or null.</summary>
    public static string? PostgresServer => Environment.GetEnvironmentVariable("REVOPS_TEST_PG") is { Length: > 0 } cs ? cs : null;

    public static IReadOnlyList<string> Enabled => PostgresServer is null ? [Sqlite] : [Sqlite, Postgres];

    public override ValueTask<IReadOnlyCollection<ITheoryDataRow>> GetData(MethodInfo testMethod, DisposalTracker disposalTracker) =>
        new(Enabled.Select(kind => (ITheoryDataRow)Row(kind)).ToArray());

    /// <summary>The case of one backend, with the trait Backend=&lt;kind&gt; (dotnet test --filter "Backend=PostgreSQL").</summary>
    static TheoryDataRow<string> Row(string kind)
    {
        var row = new TheoryDataRow<string>(kind);
        row.Traits["Backend"] = new HashSet<string>(StringComparer.Ordinal) { kind };
        return row;
    }

    public override bool SupportsDiscoveryEnumeration() => true;
}
