using System.Diagnostics;

namespace RevOps.Bench;

/// <summary>
/// Closed-loop load: `concurrency` workers each issue one call, wait for its answer and issue the
/// next, first for the warm-up (discarded), then for the measured duration.
/// </summary>
public static class LoadRunner
{
    /// <param name="alsoMeasured">Further processes whose CPU is taken over the same window (other nodes, the database); null for none.</param>
    public static async Task<ScenarioResult> RunAsync(string scenario, int concurrency, Func<int, Worker> createWorker,
        TimeSpan warmup, TimeSpan duration, ServerProcess server, CancellationToken ct, IReadOnlyList<MeasuredProcess>? alsoMeasured = null)
    {
        alsoMeasured ??= [];
        var workers = new Worker[concurrency];
        for (int i = 0; i < concurrency; i++) workers[i] = createWorker(i);

        if (warmup > TimeSpan.Zero) await PhaseAsync(workers, warmup, server, ct);
        long warmupErrors = workers.Sum(w => w.Errors);
        string? warmupError = workers.Select(w => w.FirstError).FirstOrDefault(e => e is not null);
        foreach (var worker in workers) worker.Reset();

        // Start each measured phase from the same client-side GC state.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var serverCpu = server.CpuTime();
        var serverJit = server.ThreadCpuTime(ServerProcess.TieredCompilationThread);
        var clientCpu = Environment.CpuUsage.TotalTime;
        var machineBusy = MachineCpu.BusyTime();
        var othersCpu = alsoMeasured.Select(p => p.CpuTime()).ToArray();
        long? serverAllocated = await server.AllocatedBytesAsync(ct);
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        int gen0 = GC.CollectionCount(0);

        using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var rss = SampleRssAsync(server, stopSampling.Token);
        var elapsed = await PhaseAsync(workers, duration, server, ct);
        stopSampling.Cancel();
        double? maxRss = await rss;

        long allocatedAfter = GC.GetTotalAllocatedBytes(precise: true);
        var clientCpuUsed = Environment.CpuUsage.TotalTime - clientCpu;
        var machineBusyUsed = MachineCpu.BusyTime() - machineBusy;
        var serverCpuUsed = server.CpuTime() - serverCpu;
        var othersCpuUsed = alsoMeasured.Select((p, i) => p.CpuTime() - othersCpu[i]).ToArray();
        var measuredCpuUsed = serverCpuUsed + clientCpuUsed + othersCpuUsed.Aggregate(TimeSpan.Zero, (sum, used) => sum + (used ?? TimeSpan.Zero));
        var serverJitUsed = server.ThreadCpuTime(ServerProcess.TieredCompilationThread) - serverJit;
        int gen0Collections = GC.CollectionCount(0) - gen0;
        long? serverAllocatedAfter = await server.AllocatedBytesAsync(ct);
        var memory = server.Memory();

        var histogram = new LatencyHistogram();
        foreach (var worker in workers) histogram.Add(worker.Histogram);
        long errors = workers.Sum(w => w.Errors);
        long calls = histogram.Count;
        long attempted = calls + errors;
        double seconds = elapsed.TotalSeconds;

        return new ScenarioResult
        {
            Scenario = scenario,
            Concurrency = concurrency,
            Seconds = Math.Round(seconds, 3),
            Calls = calls,
            Errors = errors,
            FirstError = workers.Select(w => w.FirstError).FirstOrDefault(e => e is not null),
            WarmupErrors = warmupErrors,
            FirstWarmupError = warmupError,
            CallsPerSecond = Math.Round(calls / seconds, 1),
            P50Ms = Ms(histogram, 0.50),
            P90Ms = Ms(histogram, 0.90),
            P99Ms = Ms(histogram, 0.99),
            MaxMs = calls == 0 ? null : Math.Round(histogram.MaxNanoseconds / 1e6, 4),
            MeanMs = calls == 0 ? null : Math.Round(histogram.MeanMilliseconds, 4),
            ServerCpuCores = Math.Round(serverCpuUsed.TotalSeconds / seconds, 2),
            ClientCpuCores = Math.Round(clientCpuUsed.TotalSeconds / seconds, 2),
            OtherCpuCores = machineBusyUsed is { } busy ? Math.Round(Math.Max(0, (busy - measuredCpuUsed).TotalSeconds) / seconds, 2) : null,
            ProcessCpuCores = alsoMeasured.Count == 0 ? null
                : alsoMeasured.Select((p, i) => (p.Name, Used: othersCpuUsed[i])).Where(p => p.Used is not null)
                    .ToDictionary(p => p.Name, p => Math.Round(p.Used!.Value.TotalSeconds / seconds, 3)),
            ServerJitCores = serverJitUsed is { } jit ? Math.Round(jit.TotalSeconds / seconds, 3) : null,
            ServerCpuUsPerCall = attempted == 0 ? null : Math.Round(serverCpuUsed.TotalMicroseconds / attempted, 1),
            ClientCpuUsPerCall = attempted == 0 ? null : Math.Round(clientCpuUsed.TotalMicroseconds / attempted, 1),
            ClientBytesAllocatedPerCall = attempted == 0 ? null : (allocatedAfter - allocated) / attempted,
            ClientGen0Collections = gen0Collections,
            ServerBytesAllocatedPerCall = attempted == 0 || serverAllocated is null || serverAllocatedAfter is null ? null : (serverAllocatedAfter - serverAllocated) / attempted,
            ServerRssMiB = maxRss is { } r ? Math.Round(r, 1) : memory.RssMiB is { } now ? Math.Round(now, 1) : null,
            ServerPeakRssMiB = memory.PeakRssMiB is { } peak ? Math.Round(peak, 1) : null,
        };
    }

    /// <summary>The server's largest VmRSS seen during the phase, sampled every 250 ms.</summary>
    static async Task<double?> SampleRssAsync(ServerProcess server, CancellationToken stop)
    {
        double? max = null;
        while (!stop.IsCancellationRequested)
        {
            if (server.Memory().RssMiB is { } rss && (max is null || rss > max)) max = rss;
            try { await Task.Delay(250, stop); } catch (OperationCanceledException) { break; }
        }
        if (server.Memory().RssMiB is { } last && (max is null || last > max)) max = last;
        return max;
    }

    const int QuietRounds = 3;

    /// <summary>
    /// Rounds of unmeasured load (each factory for one short round) until the server's JIT tier-up thread is
    /// quiet (below 0.02 cores) for <see cref="QuietRounds"/> rounds in a row, or <paramref name="maxSeconds"/> have
    /// passed: on a small box dynamic PGO keeps recompiling for many seconds of load, and measuring before it settles
    /// would measure the JIT.
    /// </summary>
    /// <remarks>
    /// One quiet round is not enough: the runtime puts tier-up off while new methods keep being compiled, so the first
    /// round of a new kind of load often shows 0.00 cores with all its tier-up still to come (a PostgreSQL node stopped
    /// there in a third of the runs and then spent 0.3-0.5 cores of the measured phase compiling).
    /// </remarks>
    public static async Task<double> WarmUpJitAsync(ServerProcess server, IReadOnlyList<Func<int, Worker>> rounds, int concurrency, double maxSeconds,
        Action<string> log, CancellationToken ct)
    {
        var round = TimeSpan.FromSeconds(1.5);
        long begin = Stopwatch.GetTimestamp();
        int quiet = 0;
        for (int i = 1; ; i++)
        {
            long roundStart = Stopwatch.GetTimestamp();
            var jit = server.ThreadCpuTime(ServerProcess.TieredCompilationThread);
            long errors = 0;
            foreach (var worker in rounds) errors += await WarmAsync(concurrency, worker, round, server, ct);
            double roundSeconds = Stopwatch.GetElapsedTime(roundStart).TotalSeconds;
            double total = Stopwatch.GetElapsedTime(begin).TotalSeconds;
            double? jitShare = server.ThreadCpuTime(ServerProcess.TieredCompilationThread) - jit is { } used ? used.TotalSeconds / roundSeconds : null;
            log($"JIT warm-up round {i}: server tier-up thread at {(jitShare is { } j ? $"{j:0.00} cores" : "unknown")}{(errors > 0 ? $", {errors} errors" : "")}");
            quiet = jitShare is < 0.02 ? quiet + 1 : 0;
            if (jitShare is null || quiet >= QuietRounds || total >= maxSeconds) return total;
        }
    }

    /// <summary>Load that is not measured (JIT warm-up); returns how many calls failed.</summary>
    public static async Task<long> WarmAsync(int concurrency, Func<int, Worker> createWorker, TimeSpan length, ServerProcess server, CancellationToken ct)
    {
        var workers = new Worker[concurrency];
        for (int i = 0; i < concurrency; i++) workers[i] = createWorker(i);
        await PhaseAsync(workers, length, server, ct);
        return workers.Sum(w => w.Errors);
    }

    static double? Ms(LatencyHistogram histogram, double q) => histogram.Count == 0 ? null : Math.Round(histogram.PercentileMilliseconds(q), 4);

    /// <summary>Runs all workers until the deadline; returns the wall time until the last in-flight call finished.</summary>
    static async Task<TimeSpan> PhaseAsync(Worker[] workers, TimeSpan length, ServerProcess server, CancellationToken ct)
    {
        long start = Stopwatch.GetTimestamp();
        long end = start + (long)(length.TotalSeconds * Stopwatch.Frequency);
        var loops = new Task[workers.Length];
        for (int i = 0; i < workers.Length; i++)
        {
            var worker = workers[i];
            loops[i] = Task.Run(() => LoopAsync(worker, end, server, ct), ct);
        }
        await Task.WhenAll(loops);
        return Stopwatch.GetElapsedTime(start);
    }

    static async Task LoopAsync(Worker worker, long end, ServerProcess server, CancellationToken ct)
    {
        var histogram = worker.Histogram;
        while (true)
        {
            long t0 = Stopwatch.GetTimestamp();
            if (t0 >= end) return;
            bool ok;
            try
            {
                ok = await worker.CallAsync(ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && e is HttpRequestException or IOException or TaskCanceledException or InvalidOperationException)
            {
                if (server.HasExited) throw new InvalidOperationException($"The server exited during the run.\n{server.LogTail()}", e);
                worker.RecordError($"{e.GetType().Name}: {e.Message}");
                continue;
            }
            long t1 = Stopwatch.GetTimestamp();
            if (ok) histogram.RecordTimestamps(t0, t1);
            else worker.RecordError(null);
        }
    }
}

public sealed class ScenarioResult
{
    public required string Scenario { get; init; }
    public required int Concurrency { get; init; }
    public required double Seconds { get; init; }
    /// <summary>Calls answered correctly; only these count for throughput and latency.</summary>
    public required long Calls { get; init; }
    public required long Errors { get; init; }
    public string? FirstError { get; init; }
    public long WarmupErrors { get; init; }
    public string? FirstWarmupError { get; init; }
    public required double CallsPerSecond { get; init; }
    public double? P50Ms { get; init; }
    public double? P90Ms { get; init; }
    public double? P99Ms { get; init; }
    public double? MaxMs { get; init; }
    public double? MeanMs { get; init; }
    /// <summary>CPU time the server process used per second of wall time (2.0 = both cores of a 2-core box).</summary>
    public double ServerCpuCores { get; init; }
    public double ClientCpuCores { get; init; }
    /// <summary>CPU per second used by everything else on the machine (other processes, kernel threads): near 0 on a quiet box.</summary>
    public double? OtherCpuCores { get; init; }
    /// <summary>CPU per second of the further processes measured with the server (other nodes, the database), by name.</summary>
    public IReadOnlyDictionary<string, double>? ProcessCpuCores { get; init; }
    /// <summary>CPU of the server's background JIT (tier-up) thread per second: near 0 once warm.</summary>
    public double? ServerJitCores { get; init; }
    public double? ServerCpuUsPerCall { get; init; }
    public double? ClientCpuUsPerCall { get; init; }
    public long? ClientBytesAllocatedPerCall { get; init; }
    public int ClientGen0Collections { get; init; }
    /// <summary>Server heap allocations per call, from the runtime's allocation counter on /metrics before and after the phase.</summary>
    public long? ServerBytesAllocatedPerCall { get; init; }
    /// <summary>The server's largest VmRSS during the measured phase.</summary>
    public double? ServerRssMiB { get; init; }
    /// <summary>The server's VmHWM (peak RSS since it started) at the end of the phase.</summary>
    public double? ServerPeakRssMiB { get; init; }
}
