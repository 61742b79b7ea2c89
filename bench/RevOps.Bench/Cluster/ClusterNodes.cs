using RevOps.Bench.Dataset;

namespace RevOps.Bench.Cluster;

/// <summary>
/// `revops serve` processes on the same data: on PostgreSQL each node is its own process on its own port
/// with its own --node-id and the same --db; on SQLite there is one node on a copy of the dataset. A
/// scenario on n nodes gives worker i to node i mod n, so the clients are spread round-robin.
/// </summary>
public sealed class ClusterNodes : IDisposable
{
    readonly List<ServerProcess> _servers;
    readonly List<DatasetScenarios> _scenarios;

    ClusterNodes(List<ServerProcess> servers, List<DatasetScenarios> scenarios)
    {
        _servers = servers;
        _scenarios = scenarios;
    }

    public IReadOnlyList<ServerProcess> Servers => _servers;

    /// <summary>Node names in reports: node A, node B, …</summary>
    public static string Name(int node) => "node_" + (char)('a' + node);

    public static Task<ClusterNodes> StartPostgresAsync(string serverDll, string connectionString, int count, HttpClient http, ManifestTenant tenant, string[] ids,
        Action<string> log, CancellationToken ct) =>
        StartAsync(count, node => new ServerProcess.StartOptions(serverDll,
            [.. ServerProcess.Unthrottled, "--db", connectionString, "--node-id", (node + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)], ReadyPath: "/ready"),
            http, tenant, ids, log, ct);

    public static Task<ClusterNodes> StartSqliteAsync(string serverDll, string dataTemplate, HttpClient http, ManifestTenant tenant, string[] ids,
        Action<string> log, CancellationToken ct) =>
        StartAsync(1, _ => new ServerProcess.StartOptions(serverDll, ServerProcess.Unthrottled, dataTemplate, "/ready"), http, tenant, ids, log, ct);

    static async Task<ClusterNodes> StartAsync(int count, Func<int, ServerProcess.StartOptions> options, HttpClient http, ManifestTenant tenant, string[] ids,
        Action<string> log, CancellationToken ct)
    {
        var servers = new List<ServerProcess>();
        var scenarios = new List<DatasetScenarios>();
        try
        {
            // One after the other: the first start applies any pending migration, and each ready time is its own.
            for (int node = 0; node < count; node++)
            {
                var server = await ServerProcess.StartAsync(options(node), http, TimeSpan.FromSeconds(120), ct);
                servers.Add(server);
                log($"{Name(node)}: pid {server.Pid} at {server.BaseAddress}, /ready after {server.ReadySeconds * 1000:0} ms.");
                // Each node's creates carry its own tag, so names and emails never collide across nodes.
                scenarios.Add(new DatasetScenarios(http, server.BaseAddress, tenant, ids, $"n{node}{DateTime.UtcNow:HHmmss}"));
            }
            return new ClusterNodes(servers, scenarios);
        }
        catch
        {
            foreach (var server in servers) server.Dispose();
            throw;
        }
    }

    /// <summary>The scenario's workers spread over the first <paramref name="nodes"/> nodes: worker i calls node i mod n.</summary>
    public Func<int, Worker> Factory(string scenario, int nodes)
    {
        var perNode = _scenarios.Take(nodes).Select(s => s.Factory(scenario)).ToArray();
        return i => perNode[i % perNode.Length](i);
    }

    /// <summary>The scenarios of one node alone (its JIT warm-up).</summary>
    public DatasetScenarios Node(int node) => _scenarios[node];

    /// <summary>Fails the run when a node has died: its clients' calls would only count as errors.</summary>
    public void ThrowIfAnyExited()
    {
        for (int node = 0; node < _servers.Count; node++)
            if (_servers[node].HasExited) throw new InvalidOperationException($"{Name(node)} exited.\n{_servers[node].LogTail()}");
    }

    public void Dispose()
    {
        foreach (var server in _servers) server.Dispose();
    }
}
