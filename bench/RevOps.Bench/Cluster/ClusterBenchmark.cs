using RevOps.Bench.Dataset;

namespace RevOps.Bench.Cluster;

/// <summary>
/// `revops-bench cluster`: the same scenarios on PostgreSQL with 1 node and with 2 nodes sharing the
/// database (both nodes run throughout; a 1-node phase sends every client to node A, a 2-node phase
/// spreads them round-robin), then on SQLite with 1 node. Each 2-node phase follows its 1-node phase,
/// so each ratio compares neighbouring measurements.
/// </summary>
public static class ClusterBenchmark
{
    const int NodeCount = 2;
    const string Database = "revops_bench";

    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        if (ClusterOptions.ParseOrExplain(args, out var options) is { } exit) return exit;
        var started = DateTimeOffset.UtcNow;
        double? loadBefore = MachineState.LoadAverage();
        Log($"Load average before the run: {loadBefore:0.00} (1 min).");

        using var handler = BenchHttp.Handler(options.Concurrency.Max());
        using var http = BenchHttp.Client(handler);
        var warmup = TimeSpan.FromSeconds(options.WarmupSeconds);
        var duration = TimeSpan.FromSeconds(options.DurationSeconds);
        var phases = new List<ClusterPhase>();
        var nodeInfo = new List<NodeInfo>();
        WakeUpResult? wakeUp = null;
        string work = Directory.CreateTempSubdirectory("revops-bench-cluster-").FullName;
        try
        {
            ClusterDataset dataset;
            string postgresSetup;
            using (var postgres = options.Postgres is { } given ? PostgresCluster.External(given) : await StartClusterAsync(options, ct))
            {
                postgresSetup = postgres.Describe();
                Log($"Generating the tenant ({options.Tenant.Argument}) into PostgreSQL with revops demo-data --db ...");
                dataset = await ClusterDataset.GenerateAsync(options.ServerDll, postgres.ConnectionString, work, options.Seed, options.Tenant, ct);
                Log($"Generated {dataset.Manifest.Records:N0} records in {dataset.Seconds:0.0} s.");

                using var nodes = await ClusterNodes.StartPostgresAsync(options.ServerDll, postgres.ConnectionString, NodeCount, http, dataset.Tenant, dataset.ContactIds, Log, ct);
                await WarmUpAsync(nodes, ClusterPhase.Postgres, options, nodeInfo, ct);
                var measured = new List<MeasuredProcess>();
                for (int node = 1; node < NodeCount; node++)
                {
                    var server = nodes.Servers[node];
                    measured.Add(new MeasuredProcess(ClusterNodes.Name(node), () => server.CpuTime()));
                }
                measured.Add(new MeasuredProcess(ClusterPhase.Postgres, postgres.CpuTime));

                if (options.WakeUps > 0)
                {
                    Log($"Wake-ups: {options.WakeUps} writes on node A, each until node B's change stream shows it ...");
                    wakeUp = await ClusterWakeUp.MeasureAsync(http, nodes.Servers[0].BaseAddress, nodes.Servers[1].BaseAddress, dataset.Tenant.ApiKey, options.WakeUps, ct);
                    Log($"  median {wakeUp.ArrivalMs:0.##} ms from sending the write to node B's stream (p90 {wakeUp.ArrivalP90Ms:0.##}, max {wakeUp.ArrivalMaxMs:0.##}); "
                        + $"the write alone {wakeUp.WriteMs:0.##} ms; arrival after the answer {wakeUp.AfterAnswerMs:0.##} ms; missed {wakeUp.Missed}");
                }

                foreach (string scenario in options.Scenarios)
                    foreach (int c in options.Concurrency)
                    {
                        phases.Add(await PhaseAsync(nodes, ClusterPhase.Postgres, 1, scenario, c, measured, warmup, duration, ct));
                        // One client keeps one node busy at a time: 2 nodes are measured from 2 clients up.
                        if (c > 1) phases.Add(await PhaseAsync(nodes, ClusterPhase.Postgres, NodeCount, scenario, c, measured, warmup, duration, ct));
                    }
            }

            bool? sqliteGenerated = null;
            if (options.Sqlite && options.Concurrency.Any(c => c > 1))
            {
                var (data, generated) = await DatasetCache.GetAsync(options.CacheDirectory, options.ServerDll, options.Seed, 1, options.Tenant, options.Tenant, Log, ct);
                sqliteGenerated = generated;
                var manifest = Manifest.Read(Path.Combine(data, "demo-data.json"));
                var tenant = manifest.Large;
                string[] ids = tenant.ContactIdsFile is { } file ? await File.ReadAllLinesAsync(Path.Combine(data, file), ct) : tenant.Contacts.Select(c => c.Id).ToArray();
                using var sqlite = await ClusterNodes.StartSqliteAsync(options.ServerDll, data, http, tenant, ids, Log, ct);
                await WarmUpAsync(sqlite, ClusterPhase.Sqlite, options, nodeInfo, ct);
                foreach (string scenario in options.Scenarios)
                    foreach (int c in options.Concurrency.Where(c => c > 1))
                        phases.Add(await PhaseAsync(sqlite, ClusterPhase.Sqlite, 1, scenario, c, [], warmup, duration, ct));
            }

            double? maxOther = phases.Select(p => p.Result.OtherCpuCores).Max();
            double? loadAfter = MachineState.LoadAverage();
            var report = new ClusterReport
            {
                Benchmark = "cluster",
                StartedUtc = started,
                Command = BuildInfo.Command(["cluster", .. args]),
                Machine = BuildInfo.Machine("The load generator, both nodes and PostgreSQL share these cores; HTTP/1.1 over loopback."),
                MachineState = new MachineState(loadBefore, loadAfter, maxOther,
                    "Other CPU is the machine's busy time minus the nodes, PostgreSQL and the client, per phase; near 0 means nothing else competed."),
                ServerPath = options.ServerDll,
                ServerVersion = BuildInfo.ProductVersion(options.ServerDll),
                ServerGc = BuildInfo.ServerGc(options.ServerDll),
                Postgres = postgresSetup,
                Dataset = new ClusterDatasetInfo(dataset.Manifest.CacheKey, options.Seed, dataset.Tenant.Counts, dataset.Manifest.Records, Math.Round(dataset.Seconds, 1),
                    sqliteGenerated),
                Nodes = nodeInfo,
                MixedWorkload = DatasetScenarios.MixedDescription.Replace("any of the 1M", "any of the tenant's", StringComparison.Ordinal),
                DurationSeconds = options.DurationSeconds,
                WarmupSeconds = options.WarmupSeconds,
                Phases = phases,
                WakeUp = wakeUp,
                Scaling = ClusterScaling.Compute(phases, Environment.ProcessorCount),
            };
            await ReportFiles.WriteAsync(options.OutDirectory, started, "cluster", ClusterReportJson.Serialize(report), ClusterMarkdown.Write(report), ct);
            long errors = phases.Sum(p => p.Result.Errors) + (wakeUp?.Missed ?? 0);
            if (errors > 0) Console.Error.WriteLine($"{errors} calls failed or returned the wrong answer; see the Errors section.");
            return errors > 0 ? 3 : 0;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The using blocks above have stopped the nodes and the PostgreSQL cluster by now.
            Console.Error.WriteLine("Cancelled.");
            return 130;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    static async Task<PostgresCluster> StartClusterAsync(ClusterOptions options, CancellationToken ct)
    {
        Log("Starting a durable throw-away PostgreSQL cluster (tests/postgres/cluster.sh, REVOPS_PG_DURABLE=1) ...");
        var cluster = await PostgresCluster.StartAsync(options.RepoRoot, Database, ct);
        Log($"PostgreSQL ready: {cluster.ConnectionString}");
        return cluster;
    }

    /// <summary>Each node alone under rounds of every scenario until its JIT is quiet; both must be warm before anything is measured.</summary>
    static async Task WarmUpAsync(ClusterNodes nodes, string backend, ClusterOptions options, List<NodeInfo> info, CancellationToken ct)
    {
        for (int node = 0; node < nodes.Servers.Count; node++)
        {
            var scenarios = nodes.Node(node);
            var server = nodes.Servers[node];
            Log($"{backend} {ClusterNodes.Name(node)}: JIT warm-up ...");
            double seconds = await LoadRunner.WarmUpJitAsync(server, options.Scenarios.Select(scenarios.Factory).ToList(), 8, options.JitWarmupMaxSeconds,
                m => Log("  " + m), ct);
            int? nodeId = backend == ClusterPhase.Postgres ? node + 1 : null;
            info.Add(new NodeInfo(backend, ClusterNodes.Name(node), nodeId, server.Pid, server.BaseAddress.ToString(), Math.Round(server.ReadySeconds, 3), Math.Round(seconds, 1)));
        }
    }

    static async Task<ClusterPhase> PhaseAsync(ClusterNodes nodes, string backend, int serving, string scenario, int concurrency, IReadOnlyList<MeasuredProcess> measured,
        TimeSpan warmup, TimeSpan duration, CancellationToken ct)
    {
        string label = $"{DatasetScenarios.Label(scenario)} c={concurrency} on {backend}, {serving} node{(serving == 1 ? "" : "s")}";
        Log($"{label}: {warmup.TotalSeconds:0.#} s warm-up + {duration.TotalSeconds:0} s ...");
        var r = await LoadRunner.RunAsync(scenario, concurrency, nodes.Factory(scenario, serving), warmup, duration, nodes.Servers[0], ct, measured);
        nodes.ThrowIfAnyExited();
        var phase = ClusterPhase.From(backend, serving, r);
        Log($"  {r.CallsPerSecond,10:N0} calls/s  p50 {r.P50Ms:0.###} ms  p99 {r.P99Ms:0.###} ms  errors {r.Errors}  nodes "
            + string.Join(" + ", phase.NodeCpuCores.Values.Select(v => v.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))
            + $" cores, postgres {phase.PostgresCpuCores:0.00}, client {r.ClientCpuCores:0.00}, other {r.OtherCpuCores:0.00}"
            + (r.FirstError is null ? "" : $"\n  first error: {r.FirstError}"));
        return phase;
    }

    public static void Log(string message) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
