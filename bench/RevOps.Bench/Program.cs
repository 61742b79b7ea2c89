using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

// Starts the real server (Release build) on loopback, seeds a tenant, and measures GET /health,
// MCP get_contact and MCP create_contact at concurrency 1 and 32 in the same run.
string repo = FindRepoRoot();
string server = Arg("--server") ?? Path.Combine(repo, "src/RevOps.Cli/bin/Release/net10.0/revops.dll");
double seconds = double.Parse(Arg("--duration") ?? "10", CultureInfo.InvariantCulture);
string outDir = Arg("--out") ?? Path.Combine(repo, "bench/results");

int port = FreePort();
string data = Directory.CreateTempSubdirectory("revops-bench-").FullName;
string admin = "bench-" + Guid.NewGuid().ToString("N");
var process = Process.Start(new ProcessStartInfo("dotnet", [server, "serve", "--data", data, "--urls", $"http://127.0.0.1:{port}", "--admin-token", admin])
{
    RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
})!;
process.OutputDataReceived += (_, _) => { };
process.ErrorDataReceived += (_, _) => { };
process.BeginOutputReadLine();
process.BeginErrorReadLine();
try
{
    var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromHours(1) })
    { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
    await WaitForHealthAsync(http);
    string key = await CreateTenantAsync(http, admin);

    Console.WriteLine("seeding 1,000 contacts…");
    var ids = new List<string>();
    for (int i = 0; i < 1000; i++)
        ids.Add(await CreateContactAsync(http, key, i));

    var results = new List<Result>();
    foreach (int concurrency in new[] { 1, 32 })
    {
        results.Add(await RunAsync("GET /health", concurrency, seconds, async (_) =>
        {
            using var response = await http.GetAsync("health");
            return response.StatusCode == HttpStatusCode.OK;
        }));
        results.Add(await RunAsync("MCP get_contact", concurrency, seconds, async (i) =>
        {
            string id = ids[i % ids.Count];
            string body = ToolCall("get_contact", "{\"Id\":\"" + id + "\"}");
            string text = await PostMcpAsync(http, key, body);
            return text.Contains(id, StringComparison.Ordinal) && !text.Contains("\"isError\":true", StringComparison.Ordinal);
        }));
        results.Add(await RunAsync("MCP create_contact", concurrency, seconds, async (i) =>
        {
            string body = ToolCall("create_contact", "{\"FirstName\":\"Bench\",\"LastName\":\"Load" + i + "\",\"Email\":\"load" + i + "@bench.test\"}");
            string text = await PostMcpAsync(http, key, body);
            return text.Contains("\"Id\"", StringComparison.Ordinal) && !text.Contains("\"isError\":true", StringComparison.Ordinal);
        }));
    }

    long rssKb = ReadRssKb(process.Id);
    Report(results, rssKb, seconds, outDir);
}
finally
{
    process.Kill(entireProcessTree: true);
    await process.WaitForExitAsync();
    Directory.Delete(data, recursive: true);
}

static async Task<Result> RunAsync(string name, int concurrency, double seconds, Func<int, Task<bool>> call)
{
    // Warm-up, then the measured window.
    await Drive(concurrency, TimeSpan.FromSeconds(Math.Min(2, seconds / 4)), call, null);
    var latencies = new List<double>[concurrency];
    for (int i = 0; i < concurrency; i++) latencies[i] = new List<double>(100_000);
    var sw = Stopwatch.StartNew();
    long errors = await Drive(concurrency, TimeSpan.FromSeconds(seconds), call, latencies);
    double elapsed = sw.Elapsed.TotalSeconds;
    var all = latencies.SelectMany(l => l).Order().ToArray();
    var result = new Result(name, concurrency, all.Length / elapsed, Percentile(all, 0.50), Percentile(all, 0.99), all.Length, errors);
    Console.WriteLine($"{name,-20} c={concurrency,-3} {result.CallsPerSecond,10:F0}/s  p50 {result.P50Ms,7:F3} ms  p99 {result.P99Ms,7:F3} ms  errors {errors}");
    return result;
}

static async Task<long> Drive(int concurrency, TimeSpan duration, Func<int, Task<bool>> call, List<double>[]? latencies)
{
    long errors = 0;
    int counter = 0;
    var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
    {
        while (Stopwatch.GetTimestamp() < end)
        {
            int n = Interlocked.Increment(ref counter);
            long start = Stopwatch.GetTimestamp();
            bool ok;
            try { ok = await call(n); }
            catch (HttpRequestException) { ok = false; }
            if (!ok) Interlocked.Increment(ref errors);
            latencies?[worker].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
    })));
    return errors;
}

static double Percentile(double[] sorted, double q) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];

static async Task<string> PostMcpAsync(HttpClient http, string key, string body)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, "mcp") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
    request.Headers.Accept.ParseAdd("application/json");
    request.Headers.Accept.ParseAdd("text/event-stream");
    using var response = await http.SendAsync(request);
    return await response.Content.ReadAsStringAsync();
}

static async Task<string> CreateContactAsync(HttpClient http, string key, int i)
{
    string body = ToolCall("create_contact", "{\"FirstName\":\"Seed\",\"LastName\":\"Contact" + i + "\",\"Email\":\"seed" + i + "@bench.test\"}");
    string text = await PostMcpAsync(http, key, body);
    string json = text[(text.IndexOf("data: ", StringComparison.Ordinal) + 6)..].Trim();
    using var doc = JsonDocument.Parse(json);
    return doc.RootElement.GetProperty("result").GetProperty("structuredContent").GetProperty("Id").GetString()!;
}

static async Task<string> CreateTenantAsync(HttpClient http, string admin)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, "tenants") { Content = new StringContent("""{"name":"Bench"}""", Encoding.UTF8, "application/json") };
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
    using var response = await http.SendAsync(request);
    using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    return doc.RootElement.GetProperty("api_key").GetString()!;
}

static async Task WaitForHealthAsync(HttpClient http)
{
    for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(100))
    {
        try
        {
            using var response = await http.GetAsync("health");
            if (response.IsSuccessStatusCode) return;
        }
        catch (HttpRequestException) { }
    }
    throw new TimeoutException("The server did not become healthy within 30 s.");
}

static long ReadRssKb(int pid)
{
    foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    return 0;
}

static void Report(List<Result> results, long rssKb, double seconds, string outDir)
{
    Directory.CreateDirectory(outDir);
    string stem = Path.Combine(outDir, DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "-get-contact");
    var md = new StringBuilder();
    md.AppendLine($"Command: `dotnet run -c Release --project bench/RevOps.Bench -- --duration {seconds.ToString(CultureInfo.InvariantCulture)}`; server RSS after the run: {rssKb / 1024} MB.");
    md.AppendLine();
    md.AppendLine("| scenario | clients | calls/s | p50 ms | p99 ms | errors | p50 / health p50 | calls/s / health calls/s |");
    md.AppendLine("|---|---|---|---|---|---|---|---|");
    foreach (var r in results)
    {
        var health = results.First(h => h.Name == "GET /health" && h.Concurrency == r.Concurrency);
        md.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| {r.Name} | {r.Concurrency} | {r.CallsPerSecond:F0} | {r.P50Ms:F3} | {r.P99Ms:F3} | {r.Errors} | {r.P50Ms / health.P50Ms:F2} | {r.CallsPerSecond / health.CallsPerSecond:F2} |"));
    }
    File.WriteAllText(stem + ".md", md.ToString());
    File.WriteAllText(stem + ".json", JsonSerializer.Serialize(new { rssKb, seconds, results = results.Select(r => new { r.Name, r.Concurrency, r.CallsPerSecond, r.P50Ms, r.P99Ms, r.Calls, r.Errors }) },
        new JsonSerializerOptions { WriteIndented = true, TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver() }));
    Console.WriteLine(md.ToString());
}

static string ToolCall(string tool, string argumentsJson) =>
    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":" + argumentsJson + "}}";

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static string FindRepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "RevOps.slnx"))) return dir.FullName;
    return Directory.GetCurrentDirectory();
}

string? Arg(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

sealed record Result(string Name, int Concurrency, double CallsPerSecond, double P50Ms, double P99Ms, long Calls, long Errors);
