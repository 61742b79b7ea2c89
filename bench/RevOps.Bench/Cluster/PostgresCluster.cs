using System.Diagnostics;
using System.Globalization;

namespace RevOps.Bench.Cluster;

/// <summary>
/// The PostgreSQL server the nodes share: either a throw-away cluster started here with
/// tests/postgres/cluster.sh in durable mode (REVOPS_PG_DURABLE=1: fsync, synchronous_commit and
/// full_page_writes on, as in production) and stopped and deleted on dispose, or one given with --pg.
/// Its CPU is the postmaster's and its children's (backends, WAL writer, checkpointer), read from /proc.
/// </summary>
public sealed class PostgresCluster : IDisposable
{
    const string Script = "tests/postgres/cluster.sh";

    readonly string? _directory;
    readonly string? _script;
    readonly int? _postmaster;
    int _disposed;

    PostgresCluster(string connectionString, string? directory, string? script, int? postmaster)
    {
        ConnectionString = connectionString;
        _directory = directory;
        _script = script;
        _postmaster = postmaster;
        if (directory is not null) AppDomain.CurrentDomain.ProcessExit += OnExit;
    }

    /// <summary>The database the nodes use (a fresh one in a throw-away cluster).</summary>
    public string ConnectionString { get; }

    /// <summary>True when this run started the cluster (and will delete it).</summary>
    public bool ThrowAway => _directory is not null;

    /// <summary>
    /// Starts a durable throw-away cluster and creates <paramref name="database"/> in it. Needs PostgreSQL
    /// installed (the script finds initdb and pg_ctl, and runs them as `postgres` when we are root).
    /// </summary>
    public static async Task<PostgresCluster> StartAsync(string repoRoot, string database, CancellationToken ct)
    {
        string script = Path.Combine(repoRoot, Script);
        string directory = Directory.CreateTempSubdirectory("revops-bench-pg-").FullName;
        try
        {
            await RunScriptAsync(script, ["start", directory], ct);
            string connection = await RunScriptAsync(script, ["createdb", directory, database], ct);
            int postmaster = int.Parse(File.ReadLines(Path.Combine(directory, "data", "postmaster.pid")).First(), CultureInfo.InvariantCulture);
            return new PostgresCluster(connection, directory, script, postmaster);
        }
        catch
        {
            try
            {
                await RunScriptAsync(script, ["stop", directory], CancellationToken.None);
            }
            catch (InvalidOperationException)
            {
                // The start failed before the cluster ran; there is nothing to stop.
            }
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>A server someone else runs. Its CPU is measured only when it runs on this machine (every local postmaster is counted).</summary>
    public static PostgresCluster External(string connectionString) => new(connectionString, null, null, null);

    /// <summary>CPU used so far by the PostgreSQL processes on this machine; null when none is found.</summary>
    public TimeSpan? CpuTime() => ProcessStat.TreeCpu(Postmasters());

    /// <summary>Our cluster's postmaster, or for --pg every local one (a process named postgres whose parent is not).</summary>
    IReadOnlyCollection<int> Postmasters()
    {
        if (_postmaster is { } pid) return [pid];
        var all = ProcessStat.All();
        var names = all.ToDictionary(p => p.Pid, p => p.Name);
        return all.Where(p => p.Name == "postgres" && names.GetValueOrDefault(p.ParentPid) != "postgres").Select(p => p.Pid).ToHashSet();
    }

    /// <summary>How the server was configured, for the report.</summary>
    public string Describe() => ThrowAway
        ? "throw-away cluster from tests/postgres/cluster.sh with REVOPS_PG_DURABLE=1 (fsync=on, synchronous_commit=on, full_page_writes=on, shared_buffers=64MB, max_connections=300), on this machine"
        : "given with --pg (its settings as configured by its operator); CPU counted for the PostgreSQL processes on this machine, if any";

    /// <summary>The script's stdout; its last line is the value it prints (a connection string).</summary>
    static async Task<string> RunScriptAsync(string script, string[] args, CancellationToken ct)
    {
        var info = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(script);
        foreach (string arg in args) info.ArgumentList.Add(arg);
        info.Environment["REVOPS_PG_DURABLE"] = "1";
        using var process = Process.Start(info) ?? throw new InvalidOperationException("bash could not be started.");
        var stderr = process.StandardError.ReadToEndAsync(ct);
        string stdout = await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Script} {string.Join(' ', args)} failed with exit code {process.ExitCode}: {await stderr}");
        return stdout.TrimEnd().Split('\n')[^1].Trim();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0 || _directory is null) return;
        AppDomain.CurrentDomain.ProcessExit -= OnExit;
        try
        {
            RunScriptAsync(_script!, ["stop", _directory], CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"Stopping the PostgreSQL cluster in {_directory} failed: {e.Message}");
        }
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the OS's temp cleanup.
        }
    }

    void OnExit(object? sender, EventArgs e) => Dispose();
}
