using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace RevOps.Bench;

/// <summary>
/// A `revops serve` child process on a free loopback port in a throw-away directory, laid out as
/// a default deployment: that directory is the working directory (the content root) and the data
/// is in ./data under it. Its stdout/stderr go to server.out.log/server.err.log there: on Unix the shell that execs the
/// server points them at the files, so the load generator never pumps the server's log; elsewhere
/// they are copied from pipes. Disposing kills it and deletes the directory; so does the bench exiting.
/// For crash tests, <see cref="KillWithSigkill"/> kills it without touching the directory and
/// <see cref="RestartAsync"/> starts the next server on the same directory, which then owns it.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    readonly Process _process;
    readonly Task _drain;
    readonly string _stdoutPath;
    readonly string _stderrPath;
    readonly string _serverDll;
    readonly string[] _serveArgs;
    readonly int _generation;
    readonly long _startedAt;
    HttpClient? _http;
    // Whether disposing deletes the directory: false once a restarted server has taken it over, or after Stop.
    bool _ownsDirectory;
    int _disposed;

    ServerProcess(Process process, string serverDll, string[] serveArgs, int generation, bool ownsDirectory,
        string directory, string stdoutPath, string stderrPath, Task drain, Uri baseAddress, string adminToken, long startedAt)
    {
        _startedAt = startedAt;
        _process = process;
        _serverDll = serverDll;
        _serveArgs = serveArgs;
        _generation = generation;
        _ownsDirectory = ownsDirectory;
        Directory = directory;
        _stdoutPath = stdoutPath;
        _stderrPath = stderrPath;
        _drain = drain;
        BaseAddress = baseAddress;
        AdminToken = adminToken;
        AppDomain.CurrentDomain.ProcessExit += OnExit;
    }

    public Uri BaseAddress { get; }

    /// <summary>Seconds from starting the process until the readiness path first answered 200.</summary>
    public double ReadySeconds { get; private set; }
    public string AdminToken { get; }
    /// <summary>The server's working directory; its data is in ./data.</summary>
    public string Directory { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Throughput runs lift every tier's rate limit out of reach, so the limiter admits every call (its
    /// cost is still paid and measured) instead of refusing past the tier's allowance.
    /// </summary>
    public static readonly string[] Unthrottled =
        ["--rate-limits", "free=100000000/100000000,professional=100000000/100000000,enterprise=100000000/100000000"];

    public static Task<ServerProcess> StartAsync(string serverDll, HttpClient http, TimeSpan readyTimeout, CancellationToken ct, params string[] serveArgs) =>
        StartAsync(new StartOptions(serverDll, serveArgs), http, readyTimeout, ct);

    /// <param name="DataTemplate">A data directory (revops.db and its files) copied into the server's ./data before it starts.</param>
    /// <param name="ReadyPath">Polled every few milliseconds until it answers 200: /health (listening) or /ready (database open).</param>
    /// <param name="Home">Start in this directory (it keeps ./data from an earlier start) instead of a new one.</param>
    public sealed record StartOptions(string ServerDll, string[] ServeArgs, string? DataTemplate = null, string ReadyPath = "/health", string? Home = null);

    public static async Task<ServerProcess> StartAsync(StartOptions options, HttpClient http, TimeSpan readyTimeout, CancellationToken ct)
    {
        string serverDll = options.ServerDll;
        string[] serveArgs = options.ServeArgs;
        string token = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        // A failed attempt's server deletes its directory, so each attempt gets a new one (and the data copied again).
        return await StartReadyAsync(
            _ => Start(serverDll, serveArgs, options.Home ?? System.IO.Directory.CreateTempSubdirectory("revops-bench-").FullName, token, generation: 0,
                ownsDirectory: true, deleteOnFailure: options.Home is null, options.DataTemplate),
            http, options.ReadyPath, readyTimeout, "start", ct);
    }

    /// <summary>
    /// Starts a server and waits until it is ready. The port is probed free and then handed to the
    /// server: another process could take it in between, so an early exit is retried on a new port.
    /// </summary>
    static async Task<ServerProcess> StartReadyAsync(Func<int, ServerProcess> start, HttpClient http, string readyPath, TimeSpan readyTimeout, string what,
        CancellationToken ct)
    {
        Exception? last = null;
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            var server = start(attempt);
            try
            {
                await server.WaitUntilReadyAsync(http, readyPath, readyTimeout, ct);
                server._http = http;
                return server;
            }
            catch (ServerExitedException e)
            {
                last = e;
                server.Dispose();
            }
            catch
            {
                server.Dispose();
                throw;
            }
        }
        throw new InvalidOperationException($"The server did not {what} after 3 attempts.", last);
    }

    /// <summary>
    /// Kills the server with SIGKILL (what Process.Kill sends on Unix): no shutdown code runs, as in a
    /// crash or an OOM kill. The directory stays for <see cref="RestartAsync"/>. Returns the exit code
    /// (137 = 128 + SIGKILL on Unix).
    /// </summary>
    public int KillWithSigkill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>
    /// Starts a new server on this one's directory (same data, same admin token, same options; a new
    /// port) once this one has exited. The new server owns the directory from then on and this one is
    /// disposed; if it cannot start, this one keeps the directory and the error is thrown.
    /// </summary>
    public async Task<ServerProcess> RestartAsync(HttpClient http, TimeSpan readyTimeout, CancellationToken ct)
    {
        if (!_process.HasExited) throw new InvalidOperationException("Restart needs the server to have exited; kill it first.");
        var server = await StartReadyAsync(
            attempt => Start(_serverDll, _serveArgs, Directory, AdminToken, _generation + attempt, ownsDirectory: false, deleteOnFailure: false, dataTemplate: null),
            http, "/health", readyTimeout, "restart", ct);
        server._ownsDirectory = true;
        _ownsDirectory = false;
        Dispose();
        return server;
    }

    static ServerProcess Start(string serverDll, string[] serveArgs, string home, string token, int generation, bool ownsDirectory, bool deleteOnFailure,
        string? dataTemplate)
    {
        int port = FreeLoopbackPort();
        string data = Path.Combine(home, "data");
        if (dataTemplate is not null)
        {
            System.IO.Directory.CreateDirectory(data);
            foreach (string file in System.IO.Directory.EnumerateFiles(dataTemplate))
                File.Copy(file, Path.Combine(data, Path.GetFileName(file)), overwrite: true);
        }
        var baseAddress = new Uri($"http://127.0.0.1:{port}");

        // Each start on the directory keeps its own log, so a restart does not overwrite the crashed server's.
        string suffix = generation == 0 ? "" : $".{generation}";
        string stdoutPath = Path.Combine(home, $"server{suffix}.out.log");
        string stderrPath = Path.Combine(home, $"server{suffix}.err.log");
        bool viaShell = !OperatingSystem.IsWindows() && File.Exists("/bin/sh");
        var info = new ProcessStartInfo(viaShell ? "/bin/sh" : DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = !viaShell,
            RedirectStandardError = !viaShell,
            RedirectStandardInput = false,
            WorkingDirectory = home,
        };
        if (viaShell)
        {
            // exec: the shell becomes the server, so the pid we hold (kill, /proc, CPU time) is the server's.
            foreach (string arg in new[] { "-c", "out=$1; err=$2; shift 2; exec \"$@\" >\"$out\" 2>\"$err\"", "sh", stdoutPath, stderrPath, DotnetHost() })
                info.ArgumentList.Add(arg);
        }
        info.ArgumentList.Add(serverDll);
        foreach (string arg in new[] { "serve", "--data", data, "--urls", baseAddress.ToString().TrimEnd('/'), "--admin-token", token }.Concat(serveArgs))
            info.ArgumentList.Add(arg);
        // The server must run as configured by its command line, not by whatever the shell exported.
        foreach (string name in new[] { "ASPNETCORE_URLS", "REVOPS_DB", "REVOPS_DEV", "REVOPS_NODE_ID", "REVOPS_ADMIN_TOKEN", "REVOPS_RATE_LIMITS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT" })
            info.Environment.Remove(name);
        // The figures here are for the request and write paths; semantic search's background indexer would embed a
        // whole dataset on one core meanwhile (bench/semantic-eval and bench/semantic-topk measure it on their own).
        info.Environment["REVOPS_SEMANTIC"] = "off";

        Process process;
        long startedAt = Stopwatch.GetTimestamp();
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("Process.Start returned null.");
        }
        catch
        {
            if (deleteOnFailure) System.IO.Directory.Delete(home, recursive: true);
            throw;
        }
        var drain = viaShell ? Task.CompletedTask : Task.WhenAll(Copy(process.StandardOutput.BaseStream, stdoutPath), Copy(process.StandardError.BaseStream, stderrPath));
        return new ServerProcess(process, serverDll, serveArgs, generation, ownsDirectory, home, stdoutPath, stderrPath, drain, baseAddress, token, startedAt);

        static async Task Copy(Stream from, string path)
        {
            await using var to = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
            await from.CopyToAsync(to);
        }
    }

    async Task WaitUntilReadyAsync(HttpClient http, string readyPath, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var health = new Uri(BaseAddress, readyPath);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                try { await _drain.WaitAsync(TimeSpan.FromSeconds(2), ct); } catch (TimeoutException) { }
                throw new ServerExitedException($"The server exited with code {_process.ExitCode} before it was ready.\n{LogTail()}");
            }
            try
            {
                using var response = await http.GetAsync(health, ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    ReadySeconds = Stopwatch.GetElapsedTime(_startedAt).TotalSeconds;
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (Stopwatch.GetTimestamp() > deadline)
                throw new TimeoutException($"GET {readyPath} did not return 200 within {timeout.TotalSeconds:0} s.\n{LogTail()}");
            // Polled often: the time until ready is itself a measurement.
            await Task.Delay(5, ct);
        }
    }

    /// <summary>VmRSS and VmHWM (peak) from /proc/&lt;pid&gt;/status, in MiB; null where /proc is not available.</summary>
    public (double? RssMiB, double? PeakRssMiB) Memory()
    {
        try
        {
            double? rss = null, peak = null;
            foreach (string line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = KiB(line) / 1024.0;
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) peak = KiB(line) / 1024.0;
            }
            return (rss, peak);
        }
        catch (IOException)
        {
            return (null, null);
        }
        catch (UnauthorizedAccessException)
        {
            return (null, null);
        }

        static long KiB(string line) => long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// User + system CPU time so far of the server's threads whose name starts with the prefix, e.g.
    /// ".NET Tiered Com" (the JIT's background tier-up thread); null where /proc is not available.
    /// </summary>
    public TimeSpan? ThreadCpuTime(string namePrefix)
    {
        try
        {
            long ticks = 0;
            foreach (string task in System.IO.Directory.EnumerateDirectories($"/proc/{_process.Id}/task"))
            {
                try
                {
                    if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith(namePrefix, StringComparison.Ordinal)) continue;
                    string stat = File.ReadAllText(Path.Combine(task, "stat"));
                    // Fields after the parenthesised name: state is field 3, utime 14 and stime 15.
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    ticks += long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
                }
                catch (IOException)
                {
                    // The thread ended meanwhile.
                }
            }
            return TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The JIT's background tier-up thread (names are cut to 15 characters).</summary>
    public const string TieredCompilationThread = ".NET Tiered Com";

    /// <summary>USER_HZ, the unit of /proc CPU times: 100 on every mainstream Linux build.</summary>
    const int ClockTicksPerSecond = 100;

    /// <summary>User + system CPU time the server has used so far.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>The last lines of the server's stdout and stderr, for error messages.</summary>
    public string LogTail(int lines = 30) => Tail("stdout", _stdoutPath, lines) + "\n" + Tail("stderr", _stderrPath, lines);

    static string Tail(string label, string path, int lines)
    {
        try
        {
            // The server may be writing concurrently; a torn last line does not matter here.
            using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            long start = Math.Max(0, reader.Length - 16_384);
            reader.Seek(start, SeekOrigin.Begin);
            var all = new StreamReader(reader).ReadToEnd().TrimEnd().Split('\n');
            return $"--- server {label} (tail) ---\n" + string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"(server {label} unavailable: {e.Message})";
        }
    }

    /// <summary>
    /// Bytes the server's runtime has allocated so far (dotnet_gc_heap_total_allocated_bytes_total on /metrics);
    /// null when the scrape fails. The exporter caches its answer for up to 300 ms, so use it over long phases.
    /// </summary>
    public async Task<long?> AllocatedBytesAsync(CancellationToken ct)
    {
        if (_http is null) return null;
        try
        {
            using var response = await _http.GetAsync(new Uri(BaseAddress, "/metrics"), ct);
            if (response.StatusCode != HttpStatusCode.OK) return null;
            string text = await response.Content.ReadAsStringAsync(ct);
            foreach (var line in text.AsSpan().EnumerateLines())
            {
                if (!line.StartsWith(AllocatedMetric)) continue;
                var value = line[(line.LastIndexOf(' ') + 1)..];
                return double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double bytes) ? (long)bytes : null;
            }
            return null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    const string AllocatedMetric = "dotnet_gc_heap_total_allocated_bytes_total";

    /// <summary>Stops the process but keeps its directory (and data) for another start with <see cref="StartOptions.Home"/>.</summary>
    public void Stop()
    {
        _ownsDirectory = false;
        Dispose();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        AppDomain.CurrentDomain.ProcessExit -= OnExit;
        Kill();
        try { _drain.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _process.Dispose();
        if (!_ownsDirectory) return;
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS's temp cleanup.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    void OnExit(object? sender, EventArgs e) => Kill();

    void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }

    static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>The dotnet host that runs this process when there is one, else `dotnet` from PATH.</summary>
    static string DotnetHost()
    {
        string? self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase)) return self;
        foreach (string variable in new[] { "DOTNET_HOST_PATH" })
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } path && File.Exists(path)) return path;
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root)
        {
            string candidate = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
            if (File.Exists(candidate)) return candidate;
        }
        return "dotnet";
    }

    sealed class ServerExitedException(string message) : Exception(message);
}
