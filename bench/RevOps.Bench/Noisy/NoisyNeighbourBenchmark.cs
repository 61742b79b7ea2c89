using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace RevOps.Bench.Noisy;

/// <summary>
/// `revops-bench noisy`: does one tenant flooding the server at ten times its rate limit hurt
/// another tenant? A victim tenant reads contacts at a steady pace within its limit, first alone,
/// then while a noisy tenant of the same tier sends ten times its allowance; the report compares
/// the victim's latency in the two phases and counts what the noisy tenant got through.
/// The server runs with the default limits (professional: 100 requests/s, bursts of 200).
/// </summary>
public static class NoisyNeighbourBenchmark
{
    public const string Usage = """
        revops-bench noisy: per-tenant rate limits under a noisy neighbour.

        Options:
          --server <path>      revops.dll to run (default src/RevOps.Cli/bin/Release/net10.0/revops.dll)
          --duration <seconds> seconds per phase (default 10)
          --victim-rate <n>    the victim's calls per second (default 50)
          --noisy-rate <n>     the noisy tenant's attempted calls per second (default 1000, 10x its limit)
          --out <dir>          where <date>-noisy-neighbour.json/.md go (default bench/results)
        """;

    const int ProfessionalLimit = 100;

    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        string root = Environment.CurrentDirectory;
        string server = Path.Combine(root, "src/RevOps.Cli/bin/Release/net10.0/revops.dll"), output = Path.Combine(root, "bench/results");
        int duration = 10, victimRate = 50, noisyRate = 1000;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--server": server = Path.GetFullPath(args[i + 1]); break;
                case "--out": output = Path.GetFullPath(args[i + 1]); break;
                case "--duration": duration = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--victim-rate": victimRate = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--noisy-rate": noisyRate = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine($"Unknown option {args[i]}.\n{Usage}");
                    return 2;
            }
        }

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, UseProxy = false, UseCookies = false };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30), DefaultRequestVersion = HttpVersion.Version11 };
        var started = DateTimeOffset.UtcNow;
        using var process = await ServerProcess.StartAsync(server, http, TimeSpan.FromSeconds(60), ct);
        var (_, victimKey) = await Setup.CreateTenantAsync(http, process, ct, "Victim", "professional");
        var (_, noisyKey) = await Setup.CreateTenantAsync(http, process, ct, "Noisy", "professional");
        var mcp = new Uri(process.BaseAddress, "/mcp");
        // 150 seeds fit in the victim's burst, so seeding is never refused.
        var contacts = new SeededContacts(await Setup.SeedContactsAsync(http, mcp, "Bearer " + victimKey, 150, parallelism: 4, ct));
        await Task.Delay(2000, ct); // let the victim's bucket refill after seeding

        Log($"Phase 1: victim alone at {victimRate}/s for {duration} s ...");
        var quiet = await PacedAsync(http, mcp, "Bearer " + victimKey, contacts, victimRate, TimeSpan.FromSeconds(duration), ct);
        Log($"Phase 2: victim at {victimRate}/s while the noisy tenant attempts {noisyRate}/s ...");
        using var stopNoise = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var noise = FloodAsync(http, mcp, "Bearer " + noisyKey, noisyRate, stopNoise.Token);
        await Task.Delay(500, ct); // the noisy tenant's burst is spent before the victim is measured
        var noisy = await PacedAsync(http, mcp, "Bearer " + victimKey, contacts, victimRate, TimeSpan.FromSeconds(duration), ct);
        stopNoise.Cancel();
        var flood = await noise;

        string date = started.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Directory.CreateDirectory(output);
        string markdown = Markdown(date, duration, victimRate, noisyRate, quiet, noisy, flood);
        await File.WriteAllTextAsync(Path.Combine(output, $"{date}-noisy-neighbour.md"), markdown, ct);
        await File.WriteAllTextAsync(Path.Combine(output, $"{date}-noisy-neighbour.json"), Json(duration, victimRate, noisyRate, quiet, noisy, flood), ct);
        Console.WriteLine(markdown);
        return quiet.Errors + noisy.Errors > 0 ? 3 : 0;
    }

    sealed record Phase(LatencyHistogram Latency, int Errors, string? FirstError);

    sealed record Flood(long Attempted, long Accepted, long Refused, long Other, double Seconds);

    /// <summary>Open-loop: one get_contact every 1/rate seconds, each timed on its own.</summary>
    static async Task<Phase> PacedAsync(HttpClient http, Uri mcp, string authorization, SeededContacts contacts, int rate, TimeSpan duration, CancellationToken ct)
    {
        var histogram = new LatencyHistogram();
        int errors = 0;
        string? firstError = null;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / rate));
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        int i = 0;
        while (Stopwatch.GetTimestamp() < end && await timer.WaitForNextTickAsync(ct))
        {
            int k = i++ % contacts.Count;
            long start = Stopwatch.GetTimestamp();
            using var request = Request(mcp, authorization, contacts.GetRequests[k]);
            using var response = await http.SendAsync(request, ct);
            string body = await response.Content.ReadAsStringAsync(ct);
            histogram.RecordTimestamps(start, Stopwatch.GetTimestamp());
            if (response.StatusCode != HttpStatusCode.OK || !body.Contains(contacts.Ids[k], StringComparison.Ordinal))
            {
                errors++;
                firstError ??= $"{(int)response.StatusCode}: {body[..Math.Min(body.Length, 200)]}";
            }
        }
        return new Phase(histogram, errors, firstError);
    }

    /// <summary>Many senders together attempting `rate` calls per second; counts 200s, 429s and anything else.</summary>
    static async Task<Flood> FloodAsync(HttpClient http, Uri mcp, string authorization, int rate, CancellationToken ct)
    {
        const int senders = 16;
        long accepted = 0, refused = 0, other = 0, attempted = 0;
        byte[] call = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"find_records","arguments":{"object":"Contact","limit":5}}}""");
        long start = Stopwatch.GetTimestamp();
        var tasks = Enumerable.Range(0, senders).Select(async _ =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(senders / (double)rate));
            try
            {
                while (await timer.WaitForNextTickAsync(ct))
                {
                    Interlocked.Increment(ref attempted);
                    using var request = Request(mcp, authorization, call);
                    using var response = await http.SendAsync(request, ct);
                    await response.Content.ReadAsByteArrayAsync(ct);
                    if (response.StatusCode == HttpStatusCode.OK) Interlocked.Increment(ref accepted);
                    else if (response.StatusCode == HttpStatusCode.TooManyRequests) Interlocked.Increment(ref refused);
                    else Interlocked.Increment(ref other);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }).ToArray();
        await Task.WhenAll(tasks);
        return new Flood(attempted, accepted, refused, other, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    static HttpRequestMessage Request(Uri mcp, string authorization, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, mcp) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        return request;
    }

    static string Markdown(string date, int duration, int victimRate, int noisyRate, Phase quiet, Phase noisy, Flood flood)
    {
        string Row(string name, Phase p) => string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {p.Latency.Count:N0} | {p.Latency.PercentileMilliseconds(0.5):0.000} | {p.Latency.PercentileMilliseconds(0.9):0.000} | {p.Latency.PercentileMilliseconds(0.99):0.000} | {p.Errors} |");
        double p50Ratio = noisy.Latency.PercentileMilliseconds(0.5) / quiet.Latency.PercentileMilliseconds(0.5);
        double p99Ratio = noisy.Latency.PercentileMilliseconds(0.99) / quiet.Latency.PercentileMilliseconds(0.99);
        return string.Create(CultureInfo.InvariantCulture, $"""
            # Noisy neighbour — {date}

            `dotnet run -c Release --project bench/RevOps.Bench -- noisy --duration {duration}`: one `revops serve` on loopback with the
            default rate limits (professional tier: {ProfessionalLimit} requests/s, bursts of 200). The victim tenant calls MCP `get_contact`
            {victimRate} times a second (open loop), first alone, then while a noisy tenant of the same tier attempts {noisyRate} `find_records`
            calls a second from 16 senders: {noisyRate / ProfessionalLimit}x its limit. Both run on the same 2-core machine as the server.

            ## Victim latency (ms)

            | Phase | Calls | p50 | p90 | p99 | Errors |
            |---|---:|---:|---:|---:|---:|
            {Row("alone", quiet)}
            {Row("next to the noisy tenant", noisy)}

            Ratio noisy / alone: p50 {p50Ratio:0.00}x, p99 {p99Ratio:0.00}x.

            ## Noisy tenant

            | Attempted | Accepted (200) | Refused (429) | Other | Seconds | Accepted per second |
            |---:|---:|---:|---:|---:|---:|
            | {flood.Attempted:N0} | {flood.Accepted:N0} | {flood.Refused:N0} | {flood.Other:N0} | {flood.Seconds:0.0} | {flood.Accepted / flood.Seconds:0.0} |

            """);
    }

    static string Json(int duration, int victimRate, int noisyRate, Phase quiet, Phase noisy, Flood flood)
    {
        static string PhaseJson(Phase p) => string.Create(CultureInfo.InvariantCulture,
            $"{{\"calls\":{p.Latency.Count},\"p50Ms\":{p.Latency.PercentileMilliseconds(0.5):0.000},\"p99Ms\":{p.Latency.PercentileMilliseconds(0.99):0.000},\"errors\":{p.Errors}}}");
        string floodJson = string.Create(CultureInfo.InvariantCulture,
            $"{{\"attempted\":{flood.Attempted},\"accepted\":{flood.Accepted},\"refused\":{flood.Refused},\"other\":{flood.Other},\"seconds\":{flood.Seconds:0.00}}}");
        return string.Create(CultureInfo.InvariantCulture, $"{{\"durationSeconds\":{duration},\"victimRate\":{victimRate},\"noisyRate\":{noisyRate},")
            + "\"victimAlone\":" + PhaseJson(quiet) + ",\"victimNoisy\":" + PhaseJson(noisy) + ",\"noisy\":" + floodJson + "}\n";
    }

    static void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
