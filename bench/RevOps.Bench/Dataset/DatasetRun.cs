namespace RevOps.Bench.Dataset;

/// <summary>
/// What the dataset and soak modes share: the client, the cached dataset, the server started on a copy
/// of it (timed until /ready), the scenarios and the JIT warm-up.
/// </summary>
public sealed class DatasetRun : IDisposable
{
    DatasetRun(HttpClient http, SocketsHttpHandler handler, Manifest manifest, string dataDirectory, bool generated, ServerProcess server,
        IReadOnlyList<double> readySeconds, DatasetScenarios scenarios)
    {
        Http = http;
        _handler = handler;
        Manifest = manifest;
        DataDirectory = dataDirectory;
        Generated = generated;
        Server = server;
        ReadySeconds = readySeconds;
        Scenarios = scenarios;
    }

    readonly SocketsHttpHandler _handler;

    public HttpClient Http { get; }
    public Manifest Manifest { get; }
    public string DataDirectory { get; }
    public bool Generated { get; }
    public ServerProcess Server { get; }
    /// <summary>Each start's time from process start until GET /ready answered 200; the last start is the one measured.</summary>
    public IReadOnlyList<double> ReadySeconds { get; }
    public DatasetScenarios Scenarios { get; }

    public double DatasetMiB => Directory.EnumerateFiles(DataDirectory).Sum(f => new FileInfo(f).Length) / 1048576.0;

    public static async Task<DatasetRun> StartAsync(DatasetOptions options, int maxConcurrency, Action<string> log, CancellationToken ct)
    {
        var handler = BenchHttp.Handler(maxConcurrency);
        var http = BenchHttp.Client(handler);
        var (data, generated) = await DatasetCache.GetAsync(options.CacheDirectory, options.ServerDll, options.Seed, options.Tenants, options.Large, options.Small, log, ct);
        var manifest = Manifest.Read(Path.Combine(data, "demo-data.json"));
        var large = manifest.Large;
        string[] ids = large.ContactIdsFile is { } file ? await File.ReadAllLinesAsync(Path.Combine(data, file), ct) : large.Contacts.Select(c => c.Id).ToArray();

        // The first start copies the dataset into the server's directory (not timed); later starts reuse that copy.
        var ready = new List<double>();
        ServerProcess? server = null;
        string? home = null;
        for (int run = 1; run <= Math.Max(1, options.ReadyRuns); run++)
        {
            var start = new ServerProcess.StartOptions(options.ServerDll, ServerProcess.Unthrottled, home is null ? data : null, "/ready", home);
            server = await ServerProcess.StartAsync(start, http, TimeSpan.FromSeconds(120), ct);
            ready.Add(Math.Round(server.ReadySeconds, 3));
            log($"Start {run}: pid {server.Pid} answered /ready 200 after {server.ReadySeconds * 1000:0} ms (dataset copy in {server.Directory}/data).");
            home = server.Directory;
            if (run < options.ReadyRuns) server.Stop();
        }
        var scenarios = new DatasetScenarios(http, server!.BaseAddress, large, ids, $"b{DateTime.UtcNow:HHmmss}");
        return new DatasetRun(http, handler, manifest, data, generated, server, ready, scenarios);
    }

    /// <summary>Mixed rounds of the main operations until the server's JIT is quiet.</summary>
    public Task<double> WarmUpJitAsync(double maxSeconds, Action<string> log, CancellationToken ct) =>
        LoadRunner.WarmUpJitAsync(Server,
        [
            Scenarios.Factory(DatasetScenarios.Health), Scenarios.Factory(DatasetScenarios.GetContactHot), Scenarios.Factory(DatasetScenarios.SearchEmail),
            Scenarios.Factory(DatasetScenarios.SearchName), Scenarios.Factory(DatasetScenarios.SoqlOrderLimit), Scenarios.Factory(DatasetScenarios.CreateContact),
            Scenarios.Factory(DatasetScenarios.Mixed),
        ], 8, maxSeconds, log, ct);

    public void Dispose()
    {
        Server.Dispose();
        Http.Dispose();
        _handler.Dispose();
    }
}
