namespace RevOps.Bench.Cluster;

/// <summary>
/// One measured phase: a scenario at one concurrency on a backend with 1 or 2 nodes serving the load.
/// CPU is per process in cores (CPU seconds per wall second), from /proc over the phase's measured window.
/// </summary>
/// <param name="NodeCpuCores">Every running node, by name, including one that serves no clients in a 1-node phase (it should be near 0).</param>
/// <param name="ServingNodeCpuUsPerCall">CPU of the nodes that served the phase, per correct call.</param>
/// <param name="MachineCpuCores">Everything busy on the machine: the nodes, PostgreSQL, the client and other processes.</param>
public sealed record ClusterPhase(string Backend, int Nodes, string Scenario, int Concurrency, ScenarioResult Result,
    IReadOnlyDictionary<string, double> NodeCpuCores, double? PostgresCpuCores, double? MachineCpuCores,
    double? ServingNodeCpuUsPerCall, double? PostgresCpuUsPerCall, double? ClientCpuUsPerCall)
{
    public const string Postgres = "postgres";
    public const string Sqlite = "sqlite";

    /// <summary>The phase with its CPU split; the result's server is node A, the other nodes and PostgreSQL are its further measured processes.</summary>
    public static ClusterPhase From(string backend, int nodes, ScenarioResult r)
    {
        var nodeCpu = new Dictionary<string, double> { [ClusterNodes.Name(0)] = r.ServerCpuCores };
        double? postgres = null;
        foreach (var (name, cores) in r.ProcessCpuCores ?? new Dictionary<string, double>())
        {
            if (name == Postgres) postgres = cores;
            else nodeCpu[name] = cores;
        }
        double serving = nodeCpu.Where(n => string.CompareOrdinal(n.Key, ClusterNodes.Name(nodes - 1)) <= 0).Sum(n => n.Value);
        double? machine = r.OtherCpuCores is { } other ? Math.Round(nodeCpu.Values.Sum() + (postgres ?? 0) + r.ClientCpuCores + other, 2) : null;
        return new ClusterPhase(backend, nodes, r.Scenario, r.Concurrency, r, nodeCpu, postgres, machine,
            PerCall(serving, r.CallsPerSecond), postgres is { } pg ? PerCall(pg, r.CallsPerSecond) : null, PerCall(r.ClientCpuCores, r.CallsPerSecond));
    }

    static double? PerCall(double cores, double callsPerSecond) => callsPerSecond > 0 ? Math.Round(cores / callsPerSecond * 1e6, 1) : null;

    public string Topology => Backend == Sqlite ? "SQLite, 1 node" : Nodes == 1 ? "PostgreSQL, 1 node" : $"PostgreSQL, {Nodes} nodes";
}
