using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;

namespace RevOps.Bench.Soql;

/// <summary>
/// `revops-bench soql`: seeds a large Contact table through the REST collections API, then times
/// SOQL over REST (GET /services/data/v60.0/query) against GET /health in the same run: a
/// selective filter on an indexed field, a name-prefix LIKE, and ORDER BY … LIMIT 200.
/// </summary>
public static class SoqlBenchmark
{
    public const string Usage = """
        revops-bench soql: SOQL over the REST API on a large tenant.

        Options:
          --server <path>      revops.dll to run (default src/RevOps.Cli/bin/Release/net10.0/revops.dll)
          --rows <count>       contacts to seed (default 100000)
          --duration <seconds> measured seconds per scenario (default 10)
          --concurrency <list> comma-separated concurrencies (default 1,8)
          --out <dir>          where <date>-soql.json/.md go (default bench/results)
        """;

    sealed record Scenario(string Name, string Description, Func<int, string> Query);

    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        string root = Environment.CurrentDirectory;
        string server = Path.Combine(root, "src/RevOps.Cli/bin/Release/net10.0/revops.dll"), output = Path.Combine(root, "bench/results");
        int rows = 100_000, duration = 10;
        int[] concurrency = [1, 8];
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--server": server = Path.GetFullPath(args[i + 1]); break;
                case "--out": output = Path.GetFullPath(args[i + 1]); break;
                case "--rows": rows = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--duration": duration = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--concurrency": concurrency = args[i + 1].Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray(); break;
                default:
                    Console.Error.WriteLine($"Unknown option {args[i]}.\n{Usage}");
                    return 2;
            }
        }

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 64, UseProxy = false, UseCookies = false };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromMinutes(2), DefaultRequestVersion = HttpVersion.Version11 };
        var started = DateTimeOffset.UtcNow;
        using var process = await ServerProcess.StartAsync(server, http, TimeSpan.FromSeconds(60), ct, ServerProcess.Unthrottled);
        var (_, apiKey) = await Setup.CreateTenantAsync(http, process, ct);
        string authorization = "Bearer " + apiKey;
        var api = new Uri(process.BaseAddress, "/services/data/v60.0/");

        Log($"Seeding {rows:N0} contacts through /composite/sobjects (200 a call) ...");
        long t = Stopwatch.GetTimestamp();
        await SeedAsync(http, api, authorization, rows, ct);
        double seedSeconds = Stopwatch.GetElapsedTime(t).TotalSeconds;
        Log($"Seeded in {seedSeconds:0.0} s ({rows / seedSeconds:N0} rows/s); server RSS {process.Memory().RssMiB:0} MiB.");

        Scenario[] scenarios =
        [
            new("soql_email", "SELECT Id, Name, Email FROM Contact WHERE Email = '<one seeded email>'",
                i => $"SELECT Id, Name, Email FROM Contact WHERE Email = 'seed{Random.Shared.Next(rows):D6}@bench.example'"),
            new("soql_prefix", "SELECT Id, Name FROM Contact WHERE LastName LIKE 'C0123%' LIMIT 50 (about 10 rows)",
                i => $"SELECT Id, Name FROM Contact WHERE LastName LIKE 'C{Random.Shared.Next(rows / 10):D5}%' LIMIT 50"),
            new("soql_order_limit", "SELECT Id, Name, Email FROM Contact ORDER BY LastName DESC LIMIT 200",
                _ => "SELECT Id, Name, Email FROM Contact ORDER BY LastName DESC LIMIT 200"),
        ];

        var warm = TimeSpan.FromSeconds(3);
        foreach (var scenario in scenarios)
            await LoadRunner.WarmAsync(4, _ => new SoqlWorker(http, api, authorization, scenario.Query), warm, process, ct);
        await LoadRunner.WarmAsync(4, _ => new HealthWorker(http, process.BaseAddress), warm, process, ct);

        var results = new List<ScenarioResult>();
        foreach (int c in concurrency)
        {
            results.Add(await Measure("health", c, _ => new HealthWorker(http, process.BaseAddress)));
            foreach (var scenario in scenarios)
                results.Add(await Measure(scenario.Name, c, _ => new SoqlWorker(http, api, authorization, scenario.Query)));
        }

        async Task<ScenarioResult> Measure(string name, int c, Func<int, Worker> worker)
        {
            var r = await LoadRunner.RunAsync(name, c, worker, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(duration), process, ct);
            Log($"{name} c={c}: {r.CallsPerSecond:N0}/s p50 {r.P50Ms:0.###} ms p99 {r.P99Ms:0.###} ms errors {r.Errors}{(r.FirstError is null ? "" : " " + r.FirstError)}");
            return r;
        }

        var markdown = new StringBuilder();
        markdown.AppendLine(CultureInfo.InvariantCulture, $"# RevOps benchmark: SOQL over REST on {rows:N0} contacts ({started:yyyy-MM-dd})");
        markdown.AppendLine();
        markdown.AppendLine(CultureInfo.InvariantCulture, $"Command: `dotnet run -c Release --project bench/RevOps.Bench -- soql{string.Concat(args.Select(a => " " + a))}`");
        markdown.AppendLine();
        markdown.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} logical cores; load generator and server share them; HTTP/1.1 over loopback. Seeded {rows:N0} contacts in {seedSeconds:0.0} s through /composite/sobjects.");
        markdown.AppendLine();
        foreach (var scenario in scenarios) markdown.AppendLine(CultureInfo.InvariantCulture, $"- `{scenario.Name}`: `{scenario.Description}`");
        markdown.AppendLine();
        markdown.AppendLine("| Scenario | Concurrency | calls/s | p50 ms | p90 ms | p99 ms | errors | p50 / health p50 |");
        markdown.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            var health = results.First(h => h.Scenario == "health" && h.Concurrency == r.Concurrency);
            string ratio = r.P50Ms is { } p && health.P50Ms is { } hp && hp > 0 ? $"{p / hp:0.0}x" : "";
            markdown.AppendLine(CultureInfo.InvariantCulture, $"| {r.Scenario} | {r.Concurrency} | {r.CallsPerSecond:N0} | {r.P50Ms:0.###} | {r.P90Ms:0.###} | {r.P99Ms:0.###} | {r.Errors} | {ratio} |");
        }
        markdown.AppendLine();
        markdown.AppendLine(CultureInfo.InvariantCulture, $"Server RSS after the run: {process.Memory().RssMiB:0} MiB.");
        Directory.CreateDirectory(output);
        string stem = Path.Combine(output, $"{started:yyyy-MM-dd}-soql");
        await File.WriteAllTextAsync(stem + ".md", markdown.ToString(), ct);
        Console.WriteLine();
        Console.WriteLine(markdown);
        Log($"Wrote {stem}.md");
        return results.Sum(r => r.Errors) > 0 ? 3 : 0;
    }

    /// <summary>Creates the contacts 200 at a time (LastName C000000…, Email seed000000@bench.example), four requests in flight.</summary>
    static async Task SeedAsync(HttpClient http, Uri api, string authorization, int rows, CancellationToken ct)
    {
        var batches = Enumerable.Range(0, (rows + 199) / 200);
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (b, token) =>
        {
            var body = new StringBuilder("{\"allOrNone\":true,\"records\":[");
            for (int i = b * 200; i < Math.Min(rows, (b + 1) * 200); i++)
            {
                if (i > b * 200) body.Append(',');
                body.Append(CultureInfo.InvariantCulture, $"{{\"attributes\":{{\"type\":\"Contact\"}},\"FirstName\":\"Seed{i % 97}\",\"LastName\":\"C{i:D6}\",\"Email\":\"seed{i:D6}@bench.example\"}}");
            }
            body.Append("]}");
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(api, "composite/sobjects")) { Content = new StringContent(body.ToString(), Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
            using var response = await http.SendAsync(request, token);
            string text = await response.Content.ReadAsStringAsync(token);
            if (response.StatusCode != HttpStatusCode.OK || text.Contains("\"success\":false", StringComparison.Ordinal))
                throw new InvalidOperationException($"Seeding failed: {(int)response.StatusCode} {text[..Math.Min(400, text.Length)]}");
        });
    }

    static void Log(string message) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}

/// <summary>GET …/query?q=…: correct when the answer is 200 with a result object that has records.</summary>
public sealed class SoqlWorker(HttpClient http, Uri api, string authorization, Func<int, string> query) : Worker(http)
{
    static readonly byte[] Records = "\"records\":["u8.ToArray();
    int _n;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<bool> CallAsync(CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(api, "query?q=" + Uri.EscapeDataString(query(_n++))));
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        var status = await SendAsync(request, ct);
        return (status == HttpStatusCode.OK && Body.IndexOf(Records) >= 0 && Body.IndexOf("\"totalSize\":0,"u8) < 0) || Wrong(status, "a query result with records");
    }
}
