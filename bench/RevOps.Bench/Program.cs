using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using RevOps.Bench;

if (args is ["noisy", ..])
{
    using var noisyCancel = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; noisyCancel.Cancel(); };
    return await RevOps.Bench.Noisy.NoisyNeighbourBenchmark.RunAsync(args[1..], noisyCancel.Token);
}

if (args is ["webhooks", ..])
{
    using var hooksCancel = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; hooksCancel.Cancel(); };
    return await RevOps.Bench.Webhooks.WebhookBenchmark.RunAsync(args[1..], hooksCancel.Token);
}

if (args is ["durability", ..])
{
    using var durabilityCancel = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; durabilityCancel.Cancel(); };
    return await RevOps.Bench.Durability.DurabilityBenchmark.RunAsync(args[1..], durabilityCancel.Token);
}

if (args is ["dataset" or "soak", ..])
{
    using var datasetCancel = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; datasetCancel.Cancel(); };
    return args[0] == "dataset"
        ? await RevOps.Bench.Dataset.DatasetBenchmark.RunAsync(args[1..], datasetCancel.Token)
        : await RevOps.Bench.Soak.SoakBenchmark.RunAsync(args[1..], datasetCancel.Token);
}

if (args is ["cluster", ..])
{
    // SIGTERM and SIGHUP too: the run owns a PostgreSQL cluster and two servers, stopped only when the run unwinds.
    using var clusterCancel = new CancellationTokenSource();
    void OnClusterSignal(PosixSignalContext context)
    {
        if (clusterCancel.IsCancellationRequested) return;
        context.Cancel = true;
        clusterCancel.Cancel();
    }
    using var clusterInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnClusterSignal);
    using var clusterTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnClusterSignal);
    using var clusterHup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnClusterSignal);
    return await RevOps.Bench.Cluster.ClusterBenchmark.RunAsync(args[1..], clusterCancel.Token);
}

if (args is ["soql", ..])
{
    using var soqlCancel = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; soqlCancel.Cancel(); };
    return await RevOps.Bench.Soql.SoqlBenchmark.RunAsync(args[1..], soqlCancel.Token);
}

var options = BenchOptions.Parse(args, out string? parseError);
if (options is null)
{
    if (parseError is { Length: > 0 }) Console.Error.WriteLine(parseError);
    Console.Error.WriteLine(BenchOptions.Usage);
    return parseError is { Length: > 0 } ? 2 : 0;
}
if (!File.Exists(options.ServerDll))
{
    Console.Error.WriteLine($"Server not found: {options.ServerDll}\nBuild it first (dotnet build -c Release at the repo root) or pass --server <path to revops.dll>.");
    return 2;
}

// Ctrl+C, kill and a closed terminal stop the run through the token, so the server is always stopped below;
// a second signal takes the default path (the server is then killed from ProcessExit).
using var cts = new CancellationTokenSource();
void OnSignal(PosixSignalContext context)
{
    if (cts.IsCancellationRequested) return;
    context.Cancel = true;
    cts.Cancel();
}
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);
var ct = cts.Token;

int maxConcurrency = options.Concurrency.Max();
using var handler = BenchHttp.Handler(maxConcurrency);
using var http = BenchHttp.Client(handler);

var started = DateTimeOffset.UtcNow;
var warmup = TimeSpan.FromSeconds(options.WarmupSeconds);
var duration = TimeSpan.FromSeconds(options.DurationSeconds);
ServerProcess? server = null;
try
{
    Log($"Starting {options.ServerDll} ...");
    long t = Stopwatch.GetTimestamp();
    server = await ServerProcess.StartAsync(options.ServerDll, http, TimeSpan.FromSeconds(60), ct, ServerProcess.Unthrottled);
    double startupSeconds = Stopwatch.GetElapsedTime(t).TotalSeconds;
    Log($"Server pid {server.Pid} ready at {server.BaseAddress} in {startupSeconds:0.0} s (working directory {server.Directory}, data in ./data).");

    var (tenantId, apiKey) = await Setup.CreateTenantAsync(http, server, ct);
    string authorization = "Bearer " + apiKey;
    var mcp = new Uri(server.BaseAddress, "/mcp");
    Log($"Tenant {tenantId}; seeding {options.Seed:N0} contacts through create_contact ...");
    t = Stopwatch.GetTimestamp();
    var ids = await Setup.SeedContactsAsync(http, mcp, authorization, options.Seed, parallelism: 16, ct);
    double seedSeconds = Stopwatch.GetElapsedTime(t).TotalSeconds;
    var contacts = new SeededContacts(ids);
    var afterSeed = server.Memory();
    Log($"Seeded in {seedSeconds:0.0} s; server RSS {afterSeed.RssMiB:0} MiB.");

    string runTag = started.ToString("HHmmss", System.Globalization.CultureInfo.InvariantCulture);
    Func<int, Worker> Health() => _ => new HealthWorker(http, server.BaseAddress);
    Func<int, Worker> GetContact() => _ => new GetContactWorker(http, mcp, authorization, contacts);
    Func<int, Worker> CreateContact(string tag) => i => new CreateContactWorker(http, mcp, authorization, tag, i);

    // The server's JIT keeps tiering methods up (with dynamic PGO) for many seconds of load on a small box;
    // measuring before it settles would measure the JIT. Rounds of all operations run until its thread idles.
    double jitWarmupSeconds = await WarmUpJitAsync();
    var afterWarmup = server.Memory();

    var results = new List<ScenarioResult>();
    async Task Run(string scenario, int concurrency, Func<int, Worker> worker)
    {
        if (!options.Scenarios.Contains(scenario)) return;
        Log($"{ReportBuilder.Label(scenario)} c={concurrency}: {options.WarmupSeconds:0.#} s warm-up + {options.DurationSeconds} s ...");
        var r = await LoadRunner.RunAsync(scenario, concurrency, worker, warmup, duration, server, ct);
        results.Add(r);
        Log($"  {r.CallsPerSecond,10:N0} calls/s  p50 {r.P50Ms:0.###} ms  p99 {r.P99Ms:0.###} ms  errors {r.Errors}  server {r.ServerCpuCores:0.00} cores, client {r.ClientCpuCores:0.00} cores"
            + (r.FirstError is null ? "" : $"\n  first error: {r.FirstError}"));
    }

    Task<double> WarmUpJitAsync()
    {
        var rounds = new List<Func<int, Worker>>();
        if (options.Scenarios.Contains(ReportBuilder.Health)) rounds.Add(Health());
        if (options.Scenarios.Contains(ReportBuilder.GetContact)) rounds.Add(GetContact());
        int round = 0;
        if (options.Scenarios.Contains(ReportBuilder.CreateContact)) rounds.Add(i => CreateContact($"r{runTag}warm{Interlocked.Increment(ref round)}")(i));
        return LoadRunner.WarmUpJitAsync(server, rounds, Math.Min(maxConcurrency, 16), options.JitWarmupMaxSeconds, Log, ct);
    }

    // /health and get_contact alternate at each concurrency so each ratio compares neighbouring measurements.
    foreach (int c in options.Concurrency)
    {
        await Run(ReportBuilder.Health, c, Health());
        await Run(ReportBuilder.GetContact, c, GetContact());
    }
    // Writes last: they grow the table the reads above were measured on.
    foreach (int c in options.Concurrency)
        await Run(ReportBuilder.CreateContact, c, CreateContact($"r{runTag}c{c}"));

    var afterRun = server.Memory();
    var ratios = ReportBuilder.Ratios(results, options.Concurrency);
    var report = new BenchReport
    {
        Benchmark = "get-contact",
        StartedUtc = started,
        Command = "dotnet run -c Release --project bench/RevOps.Bench --" + string.Concat(args.Select(a => " " + (a.Contains(' ') ? $"\"{a}\"" : a))),
        Machine = new MachineInfo(Environment.ProcessorCount, BuildInfo.CpuModel(), RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription,
            RuntimeInformation.ProcessArchitecture.ToString(),
            "Load generator and server share these cores; HTTP/1.1 over loopback (no network)."),
        Server = new ServerInfo
        {
            Path = options.ServerDll,
            ProductVersion = BuildInfo.ProductVersion(options.ServerDll),
            Gc = BuildInfo.ServerGc(options.ServerDll),
            StartupSeconds = Math.Round(startupSeconds, 2),
            SeedSeconds = Math.Round(seedSeconds, 2),
            JitWarmupSeconds = Math.Round(jitWarmupSeconds, 1),
            RssMiBAfterWarmup = Round(afterWarmup.RssMiB),
            RssMiBAfterSeed = Round(afterSeed.RssMiB),
            RssMiBAfterRun = Round(afterRun.RssMiB),
            PeakRssMiB = Round(afterRun.PeakRssMiB),
        },
        Settings = new RunSettings(options.DurationSeconds, options.WarmupSeconds, options.Seed, options.Concurrency,
            "MCP calls POST /mcp with Accept: application/json, text/event-stream (SSE answer), as SDK clients do; no initialize (stateless server)."),
        Scenarios = results,
        Ratios = ratios,
        Targets = ReportBuilder.Targets(results, ratios),
    };

    await ReportFiles.WriteAsync(options.OutDirectory, started, "get-contact", BenchJson.Serialize(report), ReportBuilder.Markdown(report), ct);

    long errors = results.Sum(r => r.Errors);
    if (errors > 0)
    {
        Console.Error.WriteLine($"{errors} calls failed or returned the wrong answer; see the Errors section.");
        return 3;
    }
    return 0;
}
catch (OperationCanceledException) when (ct.IsCancellationRequested)
{
    Console.Error.WriteLine("Cancelled.");
    return 130;
}
catch (Exception e)
{
    Console.Error.WriteLine($"Benchmark failed: {e}");
    if (server is not null) Console.Error.WriteLine(server.LogTail());
    return 1;
}
finally
{
    // Kills the server and deletes its data directory, whatever happened above.
    server?.Dispose();
}

static void Log(string message) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

static double? Round(double? value) => value is { } v ? Math.Round(v, 1) : null;
