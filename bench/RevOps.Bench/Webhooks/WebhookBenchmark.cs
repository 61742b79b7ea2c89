using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace RevOps.Bench.Webhooks;

/// <summary>
/// `revops-bench webhooks`: a real `revops serve` (with --allow-private-webhooks via its
/// environment variable) delivering to a Kestrel receiver on loopback. Measures end-to-end latency
/// (change committed → receiver got it) one write at a time, then delivery throughput and latency
/// while 32 writers create contacts as fast as the server takes them.
/// </summary>
public static class WebhookBenchmark
{
    sealed record Arrival(long Seq, DateTime ChangeTime, long ArrivedTicks, DateTime ArrivedUtc);

    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        string repo = FindRepoRoot();
        string serverDll = Path.Combine(repo, BenchOptions.DefaultServer);
        int sequential = IntArg(args, "--sequential", 500);
        int burst = IntArg(args, "--burst", 5000);
        int writers = IntArg(args, "--writers", 32);
        string outDir = Path.Combine(repo, BenchOptions.DefaultOut);

        Environment.SetEnvironmentVariable("REVOPS_ALLOW_PRIVATE_WEBHOOKS", "1");
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, UseProxy = false }) { Timeout = TimeSpan.FromSeconds(60) };
        using var server = await ServerProcess.StartAsync(serverDll, http, TimeSpan.FromSeconds(60), ct, ServerProcess.Unthrottled);
        var arrivals = new ConcurrentDictionary<string, Arrival>();
        int requests = 0;
        await using var receiver = await StartReceiverAsync(arrivals, () => Interlocked.Increment(ref requests));
        string receiverUrl = receiver.Urls.First() + "/hook";

        var (_, apiKey) = await Setup.CreateTenantAsync(http, server, ct);
        string authorization = "Bearer " + apiKey;
        var mcp = new Uri(server.BaseAddress, "/mcp");
        await CreateWebhookAsync(http, server.BaseAddress, authorization, receiverUrl, ct);
        Console.WriteLine($"Server {server.BaseAddress}, receiver {receiverUrl}. JIT warm-up: 300 writes ...");
        await WriteAsync(http, mcp, authorization, 300, 8, "Warm", null, ct);
        await WaitForAsync(arrivals, 300, ct);
        arrivals.Clear();

        // 1. One write at a time: latency with nothing queued.
        Console.WriteLine($"Sequential: {sequential} writes, one at a time ...");
        var acked = new ConcurrentDictionary<string, long>();
        await WriteAsync(http, mcp, authorization, sequential, 1, "Seq", acked, ct);
        await WaitForAsync(arrivals, sequential, ct);
        var sequentialStats = Stats(arrivals, acked);
        arrivals.Clear();
        acked.Clear();

        // 2. Many writers: delivery throughput and latency under load.
        Console.WriteLine($"Burst: {burst} writes from {writers} writers ...");
        long burstStart = Stopwatch.GetTimestamp();
        await WriteAsync(http, mcp, authorization, burst, writers, "Burst", acked, ct);
        double writeSeconds = Stopwatch.GetElapsedTime(burstStart).TotalSeconds;
        await WaitForAsync(arrivals, burst, ct);
        double deliverSeconds = Stopwatch.GetElapsedTime(burstStart).TotalSeconds;
        var burstStats = Stats(arrivals, acked);
        var ordered = arrivals.Values.OrderBy(a => a.ArrivedTicks).ToList();
        double deliverySpan = Stopwatch.GetElapsedTime(ordered[0].ArrivedTicks, ordered[^1].ArrivedTicks).TotalSeconds;

        string markdown = Report(sequential, sequentialStats, burst, writers, writeSeconds, deliverSeconds, deliverySpan, burstStats, requests, burst + sequential + 300);
        Directory.CreateDirectory(outDir);
        string path = Path.Combine(outDir, $"{DateTime.UtcNow:yyyy-MM-dd}-webhooks.md");
        await File.WriteAllTextAsync(path, markdown, ct);
        Console.WriteLine(markdown);
        Console.WriteLine($"Wrote {path}");
        return 0;
    }

    sealed record LatencyStats(double AckP50, double AckP99, double AckMax, double ChangeP50, double ChangeP99, double ChangeMax);

    /// <summary>ack → arrival (client got the write's answer, so the commit is durable, until the receiver has it) and change time → arrival.</summary>
    static LatencyStats Stats(ConcurrentDictionary<string, Arrival> arrivals, ConcurrentDictionary<string, long> acked)
    {
        var ack = new List<double>();
        var change = new List<double>();
        foreach (var (record, arrival) in arrivals)
        {
            if (acked.TryGetValue(record, out long ackTicks)) ack.Add(Math.Max(0, Stopwatch.GetElapsedTime(ackTicks, arrival.ArrivedTicks).TotalMilliseconds));
            change.Add((arrival.ArrivedUtc - arrival.ChangeTime).TotalMilliseconds);
        }
        ack.Sort();
        change.Sort();
        return new LatencyStats(P(ack, 0.5), P(ack, 0.99), ack[^1], P(change, 0.5), P(change, 0.99), change[^1]);
    }

    static double P(List<double> sorted, double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];

    static string Report(int sequential, LatencyStats s, int burst, int writers, double writeSeconds, double deliverSeconds, double span, LatencyStats b, int requests, int expected)
    {
        var md = new StringBuilder();
        md.AppendLine("# Webhook delivery: throughput and end-to-end latency");
        md.AppendLine();
        md.AppendLine($"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores ({System.Runtime.InteropServices.RuntimeInformation.OSDescription}), .NET {Environment.Version}. " +
            "`dotnet run -c Release --project bench/RevOps.Bench -- webhooks`: a real `revops serve` process (default settings, SQLite with `synchronous=FULL`, " +
            "private targets allowed) delivers to a Kestrel receiver in the bench process on loopback; writes are MCP `create_contact` calls. " +
            "Every event is one HTTP POST, signed; the receiver answers 204.");
        md.AppendLine();
        md.AppendLine("Latency is measured two ways: **ack → receiver** from the moment the writer got its answer (the commit is durable by then) until the receiver " +
            "read the event; **change → receiver** from the change's own timestamp (taken just before the commit) until then. Both clocks are on the same machine.");
        md.AppendLine();
        md.AppendLine("| Phase | Events | ack → receiver p50 / p99 / max (ms) | change → receiver p50 / p99 / max (ms) | Delivery throughput |");
        md.AppendLine("|---|---|---|---|---|");
        md.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| one write at a time | {sequential} | {s.AckP50:0.0} / {s.AckP99:0.0} / {s.AckMax:0.0} | {s.ChangeP50:0.0} / {s.ChangeP99:0.0} / {s.ChangeMax:0.0} | (paced by the writer) |"));
        md.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| {writers} concurrent writers | {burst} | {b.AckP50:0.0} / {b.AckP99:0.0} / {b.AckMax:0.0} | {b.ChangeP50:0.0} / {b.ChangeP99:0.0} / {b.ChangeMax:0.0} | **{burst / span:0} events/s** (first to last arrival, {span:0.00} s) |"));
        md.AppendLine();
        md.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"The burst's writes took {writeSeconds:0.00} s ({burst / writeSeconds:0} writes/s); the last event arrived {deliverSeconds:0.00} s after the burst began, " +
            $"{deliverSeconds - writeSeconds:0.00} s after the last write was acknowledged. Receiver requests: {requests} for {expected} events (duplicates: {requests - expected}). " +
            $"Machine load average at the end (1/5/15 min): {LoadAverage()}; other processes shared the cores during the run."));
        return md.ToString();
    }

    static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    static async Task WriteAsync(HttpClient http, Uri mcp, string authorization, int count, int writers, string prefix, ConcurrentDictionary<string, long>? acked, CancellationToken ct)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = writers, CancellationToken = ct }, async (i, token) =>
        {
            string body = "{\"jsonrpc\":\"2.0\",\"id\":" + (i + 1) + ",\"method\":\"tools/call\",\"params\":{\"name\":\"create_contact\",\"arguments\":{\"LastName\":\"" + prefix + i + "\"}}}";
            using var request = new HttpRequestMessage(HttpMethod.Post, mcp) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
            request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
            using var response = await http.SendAsync(request, token);
            string text = await response.Content.ReadAsStringAsync(token);
            long at = Stopwatch.GetTimestamp();
            int idAt = text.IndexOf("\"Id\":\"", StringComparison.Ordinal);
            if (response.StatusCode != HttpStatusCode.OK || idAt < 0) throw new InvalidOperationException($"create_contact failed: {text}");
            acked?.TryAdd(text.Substring(idAt + 6, 18), at);
        });
    }

    static async Task CreateWebhookAsync(HttpClient http, Uri server, string authorization, string url, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, "/api/webhooks"))
        {
            Content = new StringContent($$"""{"url":"{{url}}","secret":"bench-secret-0123456789"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"POST /api/webhooks answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
    }

    static async Task<WebApplication> StartReceiverAsync(ConcurrentDictionary<string, Arrival> arrivals, Action counted)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/hook", async (HttpContext http) =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer);
            long ticks = Stopwatch.GetTimestamp();
            var now = DateTime.UtcNow;
            counted();
            using var json = JsonDocument.Parse(buffer.ToArray());
            var root = json.RootElement;
            if (root.GetProperty("recordId").GetString() is { } record)
                arrivals.TryAdd(record, new Arrival(root.GetProperty("seq").GetInt64(), root.GetProperty("time").GetDateTime().ToUniversalTime(), ticks, now));
            return Results.NoContent();
        });
        await app.StartAsync();
        return app; // app.Urls now holds the bound address (port 0 resolved)
    }

    static async Task WaitForAsync(ConcurrentDictionary<string, Arrival> arrivals, int count, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (arrivals.Count < count)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"only {arrivals.Count} of {count} events arrived");
            await Task.Delay(2, ct);
        }
    }

    static int IntArg(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out int v) ? v : fallback;
    }

    static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(Directory.GetCurrentDirectory());
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "RevOps.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }
}
