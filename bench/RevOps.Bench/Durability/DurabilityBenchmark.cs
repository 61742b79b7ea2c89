using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;

namespace RevOps.Bench.Durability;

/// <summary>
/// `revops-bench durability`: writers over MCP and REST at full speed against a real `revops
/// serve`; the server is killed with SIGKILL mid-load and restarted on the same data directory,
/// --cycles times; then every acknowledged write must be there with exactly one change-log row,
/// and nothing unanswered half-written. Exit code 0 when every check passed, 3 when one failed.
/// </summary>
public static class DurabilityBenchmark
{
    static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    // A killed server resets every connection at once; writers still busy after this are a bug in the bench.
    static readonly TimeSpan WritersStopTimeout = TimeSpan.FromSeconds(30);
    const int SigkillExitCode = 128 + 9;

    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        string repoRoot = BenchOptions.FindRepoRoot();
        var options = DurabilityOptions.Parse(args, repoRoot, out string? error);
        if (options is null)
        {
            if (error is { Length: > 0 }) Console.Error.WriteLine(error);
            Console.Error.WriteLine(DurabilityOptions.Usage);
            return error is { Length: > 0 } ? 2 : 0;
        }
        if (!File.Exists(options.ServerDll))
        {
            Console.Error.WriteLine($"Server not found: {options.ServerDll}\nBuild it first (dotnet build -c Release at the repo root) or pass --server <path to revops.dll>.");
            return 2;
        }

        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 256,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30), DefaultRequestVersion = HttpVersion.Version11 };
        var started = DateTimeOffset.UtcNow;
        long begin = Stopwatch.GetTimestamp();
        var checks = DurabilityChecks.Define();
        ServerProcess? server = null;
        try
        {
            server = await ServerProcess.StartAsync(options.ServerDll, http, ReadyTimeout, ct,
                options.Database is { } database ? [.. ServerProcess.Unthrottled, "--db", database] : ServerProcess.Unthrottled);
            Log($"Server pid {server.Pid} at {server.BaseAddress}, data in {server.Directory}/data.");
            var tenants = new List<TenantRun>();
            for (int n = 1; n <= options.Tenants; n++)
            {
                var (tenantId, apiKey) = await Setup.CreateTenantAsync(http, server, ct, name: $"Durability {n}");
                tenants.Add(new TenantRun(n, tenantId, apiKey));
            }
            var writers = CreateWriters(tenants, options.WritersPerChannel);
            foreach (var writer in writers.OfType<OpportunityUpdateWriter>())
                await writer.PrepareAsync(new CrmClient(http, server.BaseAddress, writer.Tenant.ApiKey), ct);
            Log($"{tenants.Count} tenants, {writers.Count} writers; {options.Cycles} kills after {options.KillAfterMinSeconds:0.#}-{options.KillAfterMaxSeconds:0.#} s of load each.");

            var random = new Random(options.Seed);
            var cycles = new List<CycleFigures>();
            for (int cycle = 1; cycle <= options.Cycles; cycle++)
            {
                double planned = options.KillAfterMinSeconds + random.NextDouble() * (options.KillAfterMaxSeconds - options.KillAfterMinSeconds);
                var (figures, restarted) = await RunCycleAsync(cycle, planned, server, http, tenants, writers, checks, ct);
                server = restarted;
                cycles.Add(figures);
                Log($"Cycle {cycle}: killed after {figures.LoadSeconds:0.00} s ({figures.AcknowledgedBeforeKill:N0} acknowledged, {figures.InFlightAtKill} in flight, "
                    + $"{figures.InFlightCommitted} of those committed), exit code {figures.ExitCode}; restarted in {figures.RestartSeconds:0.00} s as pid {server.Pid}.");
            }

            Log("Reading everything back ...");
            var current = server;
            await DurabilityVerifier.VerifyAsync(t => new CrmClient(http, current.BaseAddress, t.ApiKey), tenants, writers, checks, ct);

            var report = Report(options, repoRoot, args, started, Stopwatch.GetElapsedTime(begin).TotalSeconds, writers, cycles, checks.Results());
            Directory.CreateDirectory(options.OutDirectory);
            string stem = Path.Combine(options.OutDirectory, $"{started:yyyy-MM-dd}-durability");
            await File.WriteAllTextAsync(stem + ".json", DurabilityJson.Serialize(report) + "\n", ct);
            string markdown = DurabilityMarkdown.Write(report);
            await File.WriteAllTextAsync(stem + ".md", markdown, ct);
            Console.WriteLine();
            Console.WriteLine(markdown.TrimEnd());
            Log($"Wrote {stem}.json and {stem}.md");
            // The last line, for tests/durability/run.sh and test.sh.
            Console.WriteLine($"durability: {report.Totals.ChecksPassed} passed, {report.Totals.ChecksFailed} failed");
            return report.Totals.ChecksFailed == 0 ? 0 : 3;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Console.Error.WriteLine("Cancelled.");
            return 130;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"The durability run failed: {e}");
            if (server is not null) Console.Error.WriteLine(server.LogTail());
            Console.WriteLine("durability: 0 passed, 1 failed");
            return 1;
        }
        finally
        {
            server?.Dispose();
        }
    }

    static List<DurabilityWriter> CreateWriters(IReadOnlyList<TenantRun> tenants, int perChannel)
    {
        var writers = new List<DurabilityWriter>();
        foreach (var tenant in tenants)
            for (int i = 0; i < perChannel; i++)
            {
                writers.Add(new McpCreateContactWriter(tenant, i));
                writers.Add(new McpUpdateRecordWriter(tenant, i));
                writers.Add(new McpStageWriter(tenant, i));
                writers.Add(new McpReassignOwnerWriter(tenant, i));
                writers.Add(new RestCreateContactWriter(tenant, i));
                writers.Add(new RestCollectionWriter(tenant, i));
                writers.Add(new RestCompositeTreeWriter(tenant, i));
            }
        return writers;
    }

    /// <summary>
    /// One kill cycle: all writers start; once the first write is acknowledged (the server is taking
    /// load) it runs for the planned time; SIGKILL; the writers stop on their unanswered writes; the
    /// server restarts on the same directory; each writer settles its unanswered write.
    /// </summary>
    static async Task<(CycleFigures Figures, ServerProcess Server)> RunCycleAsync(int cycle, double plannedSeconds, ServerProcess server, HttpClient http,
        IReadOnlyList<TenantRun> tenants, IReadOnlyList<DurabilityWriter> writers, CheckBook checks, CancellationToken ct)
    {
        long acknowledgedBefore = writers.Sum(w => w.Acknowledged);
        long committedBefore = writers.Sum(w => w.CommittedUnanswered);
        var clients = tenants.ToDictionary(t => t, t => new CrmClient(http, server.BaseAddress, t.ApiKey));
        var firstAcknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var running = writers.Select(w => Task.Run(() => w.RunAsync(clients[w.Tenant], () => firstAcknowledged.TrySetResult(), abort.Token), abort.Token)).ToArray();
        var allStopped = Task.WhenAll(running);
        ServerProcess? restarted = null;
        try
        {
            var first = await Task.WhenAny(firstAcknowledged.Task, allStopped, Task.Delay(ReadyTimeout, ct));
            if (first != firstAcknowledged.Task)
                throw new InvalidOperationException($"Cycle {cycle}: no write was acknowledged{(allStopped.IsCompleted ? "; every writer lost its connection" : $" within {ReadyTimeout.TotalSeconds:0} s")}.\n{server.LogTail()}");
            long loadStart = Stopwatch.GetTimestamp();
            await Task.Delay(TimeSpan.FromSeconds(plannedSeconds), ct);

            bool upAtKill = !server.HasExited;
            int exitCode = server.KillWithSigkill();
            double loadSeconds = Stopwatch.GetElapsedTime(loadStart).TotalSeconds;
            checks.Expect(DurabilityChecks.Sigkill, upAtKill && exitCode == SigkillExitCode,
                () => $"cycle {cycle}: the server was {(upAtKill ? "up" : "already gone")} at the kill and exited with code {exitCode}");
            await allStopped.WaitAsync(WritersStopTimeout, ct);

            int unanswered = writers.Count(w => w.HasPendingWrite);
            long acknowledged = writers.Sum(w => w.Acknowledged) - acknowledgedBefore;
            long restartStart = Stopwatch.GetTimestamp();
            restarted = await server.RestartAsync(http, ReadyTimeout, ct);
            double restartSeconds = Stopwatch.GetElapsedTime(restartStart).TotalSeconds;

            clients = tenants.ToDictionary(t => t, t => new CrmClient(http, restarted.BaseAddress, t.ApiKey));
            foreach (var tenant in tenants)
            {
                var status = await clients[tenant].StatusAsync("/api/changes?limit=1", ct);
                checks.Expect(DurabilityChecks.Restarted, status == HttpStatusCode.OK,
                    () => $"cycle {cycle}: tenant {tenant.Number}'s key got {(int)status} from GET /api/changes after the restart");
            }
            foreach (var writer in writers) await writer.ResolveAsync(clients[writer.Tenant], checks, ct);

            long found = writers.Sum(w => w.CommittedUnanswered) - committedBefore;
            return (new CycleFigures(cycle, Math.Round(plannedSeconds, 2), Math.Round(loadSeconds, 2), acknowledged, unanswered, found, exitCode, Math.Round(restartSeconds, 2)), restarted);
        }
        catch
        {
            abort.Cancel();
            // The caller disposes the server it holds; a restarted one reaches it only on success, so it is disposed here.
            restarted?.Dispose();
            throw;
        }
    }

    static DurabilityReport Report(DurabilityOptions options, string repoRoot, string[] args, DateTimeOffset started, double seconds,
        IReadOnlyList<DurabilityWriter> writers, IReadOnlyList<CycleFigures> cycles, IReadOnlyList<CheckResult> checks)
    {
        var channels = writers.GroupBy(w => w.Channel).Select(g => new ChannelFigures(g.Key, RequestOf(g.Key), g.Count(),
            g.Sum(w => w.Acknowledged), g.Sum(w => w.Refused), g.Sum(w => w.Unanswered), g.Sum(w => w.CommittedUnanswered),
            g.Sum(w => w.Retried), g.Sum(w => w.Replayed), g.Sum(w => w.Found), g.Sum(w => w.Lost))).ToArray();
        int passed = checks.Count(c => c.Passed);
        return new DurabilityReport
        {
            StartedUtc = started,
            // A connection string may hold a password: the report names the option, not its value.
            Command = "dotnet run -c Release --project bench/RevOps.Bench -- durability" + string.Concat(args.Select((a, i) => i > 0 && args[i - 1] == "--db" ? " \"<connection string>\"" : " " + a)),
            DurabilitySetting = options.Database is null ? DurabilityReport.Setting : DurabilityReport.PostgresSetting,
            Machine = new MachineInfo(Environment.ProcessorCount, CpuModel(), RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription,
                RuntimeInformation.ProcessArchitecture.ToString(), "Load generator and server share these cores; HTTP/1.1 over loopback."),
            ServerPath = DisplayPath(repoRoot, options.ServerDll),
            ServerVersion = FileVersionInfo.GetVersionInfo(options.ServerDll).ProductVersion,
            Settings = new DurabilitySettings(options.Cycles, options.Tenants, options.WritersPerChannel, writers.Count,
                options.KillAfterMinSeconds, options.KillAfterMaxSeconds, options.Seed),
            DurationSeconds = Math.Round(seconds, 1),
            Channels = channels,
            Cycles = cycles,
            Checks = checks,
            Totals = new DurabilityTotals(channels.Sum(c => c.Acknowledged), channels.Sum(c => c.InFlightAtKill), channels.Sum(c => c.InFlightCommitted),
                channels.Sum(c => c.Found), channels.Sum(c => c.Lost), passed, checks.Count - passed),
        };
    }

    /// <summary>Relative to the repo when the server is the repo's build, so a committed report names no machine's paths.</summary>
    static string DisplayPath(string repoRoot, string path)
    {
        string relative = Path.GetRelativePath(repoRoot, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }

    static string RequestOf(string channel) => channel switch
    {
        McpCreateContactWriter.ChannelName => "MCP `create_contact` (SSE answer, idempotency_key)",
        McpUpdateRecordWriter.ChannelName => "MCP `update_record` Amount + NextStep (idempotency_key)",
        McpStageWriter.ChannelName => "MCP `update_opportunity_stage` (idempotency_key)",
        McpReassignOwnerWriter.ChannelName => "MCP `update_record` OwnerId between two users + NextStep (idempotency_key)",
        RestCreateContactWriter.ChannelName => "REST `POST …/sobjects/Contact`",
        RestCollectionWriter.ChannelName => $"REST `POST …/composite/sobjects`, allOrNone, {RestCollectionWriter.RecordsPerCall} contacts",
        RestCompositeTreeWriter.ChannelName => $"REST `POST …/composite/tree/Account`, an Account with {RestCompositeTreeWriter.RecordsPerCall} nested contacts",
        _ => channel,
    };

    static string? CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    static void Log(string message) => Console.WriteLine($"[{DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] {message}");
}
