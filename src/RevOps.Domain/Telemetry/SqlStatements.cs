using System.Diagnostics.Metrics;

namespace RevOps.Domain.Telemetry;

/// <summary>
/// Counts the SQL statements storage issues: a meter for /metrics, and a tally a request can open
/// around its own work (the GraphQL endpoint reports it, so a test can hold a query to a bounded
/// number of statements whatever the number of rows).
/// </summary>
public static class SqlStatements
{
    static readonly Counter<long> Issued = RevOpsMeters.Meter.CreateCounter<long>("revops.sql.statements", "{statement}",
        "SQL statements issued through a storage session.");

    // Flows with the request's async work as Activity.Current does; each request opens its own tally.
    static readonly AsyncLocal<Tally?> Current = new();

    /// <summary>Called by storage once per statement.</summary>
    public static void Count()
    {
        Issued.Add(1);
        if (Current.Value is { } tally) Interlocked.Increment(ref tally.Value);
    }

    /// <summary>Starts counting the statements of the calling async flow (and what it awaits).</summary>
    public static Tally Track() => Current.Value = new Tally();

    public sealed class Tally
    {
        internal long Value;

        public long Count => Interlocked.Read(ref Value);
    }
}
