using System.Globalization;
using RevOps.Bench.Dataset;

namespace RevOps.Bench.Cluster;

/// <summary>Command line of the cluster mode.</summary>
public sealed record ClusterOptions
{
    public required string RepoRoot { get; init; }
    public required string ServerDll { get; init; }
    public required string OutDirectory { get; init; }
    public required string CacheDirectory { get; init; }
    /// <summary>A PostgreSQL connection string to use instead of starting a throw-away cluster.</summary>
    public string? Postgres { get; init; }
    public int Seed { get; init; } = 42;
    public DatasetCache.Sizes Tenant { get; init; } = new(2_000, 20_000, 4_000, 10_000);
    public int DurationSeconds { get; init; } = 10;
    public double WarmupSeconds { get; init; } = 2;
    public double JitWarmupMaxSeconds { get; init; } = 60;
    public int[] Concurrency { get; init; } = [1, 32];
    public string[] Scenarios { get; init; } = DefaultScenarios;
    public bool Sqlite { get; init; } = true;
    /// <summary>Writes on node A timed until node B's change stream shows them (0: not measured).</summary>
    public int WakeUps { get; init; } = 200;

    public static readonly string[] DefaultScenarios =
        [DatasetScenarios.Health, DatasetScenarios.GetContactCold, DatasetScenarios.RestGet, DatasetScenarios.CreateContact, DatasetScenarios.Mixed];

    public const string Usage = """
        revops-bench cluster: the server on PostgreSQL with 1 node and with 2 nodes on the same database
        (and on SQLite for comparison), one tenant generated with revops demo-data.

        Options:
          --pg <connection>      use this PostgreSQL database (empty, its user may create tables) instead of starting
                                 a durable throw-away cluster with tests/postgres/cluster.sh
          --server <path>        revops.dll (default src/RevOps.Cli/bin/Release/net10.0/revops.dll)
          --seed <n>             dataset seed (default 42)
          --tenant a,c,o,t       the tenant's accounts, contacts, opportunities, tasks (default 2000,20000,4000,10000)
          --duration <s>         measured seconds per phase (default 10)
          --warmup <s>           discarded seconds before each phase (default 2)
          --jit-warmup <s>       at most this long of load per node before measuring, until its JIT is quiet (default 60)
          --concurrency <list>   default 1,32; 2 nodes and SQLite run the levels above 1
          --scenarios <list>     subset of health,get_contact_cold,rest_get,create_contact,mixed (default all; none: wake-ups only)
          --no-sqlite            skip the SQLite comparison
          --wake-ups <n>         writes on node A timed until node B's change stream shows them, one at a time (default 200, 0 skips)
          --cache <dir>          SQLite dataset cache (default bench/out/datasets)
          --out <dir>            reports (default bench/results)
        """;

    /// <summary>Parses the options; on a problem (or --help) prints it with the usage and returns the exit code.</summary>
    public static int? ParseOrExplain(string[] args, out ClusterOptions options)
    {
        options = Parse(args, out string? error)!;
        if (options is not null) return null;
        if (error is { Length: > 0 }) Console.Error.WriteLine(error);
        Console.Error.WriteLine(Usage);
        return error is { Length: > 0 } ? 2 : 0;
    }

    static ClusterOptions? Parse(string[] args, out string? error)
    {
        error = null;
        string root = BenchOptions.FindRepoRoot();
        var options = new ClusterOptions
        {
            RepoRoot = root,
            ServerDll = Path.Combine(root, BenchOptions.DefaultServer),
            OutDirectory = Path.Combine(root, BenchOptions.DefaultOut),
            CacheDirectory = Path.Combine(root, "bench/out/datasets"),
        };
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (name is "-h" or "--help")
            {
                error = "";
                return null;
            }
            if (name == "--no-sqlite")
            {
                options = options with { Sqlite = false };
                continue;
            }
            if (i + 1 >= args.Length)
            {
                error = $"Missing value for {name}.";
                return null;
            }
            string value = args[++i];
            ClusterOptions? next = name switch
            {
                "--pg" when value.Length > 0 => options with { Postgres = value },
                "--server" => options with { ServerDll = Path.GetFullPath(value) },
                "--out" => options with { OutDirectory = Path.GetFullPath(value) },
                "--cache" => options with { CacheDirectory = Path.GetFullPath(value) },
                "--seed" when Int(value) is { } n => options with { Seed = n },
                "--tenant" when Sizes(value) is { } s => options with { Tenant = s },
                "--duration" when Int(value) is > 0 and var n => options with { DurationSeconds = n },
                "--warmup" when Double(value) is >= 0 and var d => options with { WarmupSeconds = d },
                "--jit-warmup" when Double(value) is >= 0 and var d => options with { JitWarmupMaxSeconds = d },
                "--concurrency" when List(value) is { } list => options with { Concurrency = list },
                "--scenarios" when Scenario(value) is { } list => options with { Scenarios = list },
                "--wake-ups" when Int(value) is >= 0 and var n => options with { WakeUps = n },
                _ => null,
            };
            if (next is null)
            {
                error = $"Unknown option or invalid value: {name} {value}";
                return null;
            }
            options = next;
        }
        if (!File.Exists(options.ServerDll))
        {
            error = $"Server not found: {options.ServerDll}. Build it first (dotnet build -c Release) or pass --server.";
            return null;
        }
        return options;
    }

    static int? Int(string text) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : null;

    static double? Double(string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : null;

    static int[]? List(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Int).ToArray();
        return parts.Length > 0 && parts.All(p => p is > 0) ? parts.Select(p => p!.Value).Distinct().Order().ToArray() : null;
    }

    static string[]? Scenario(string text)
    {
        // "none": only the wake-ups.
        if (text == "none") return [];
        var list = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToArray();
        return list.Length > 0 && list.All(DefaultScenarios.Contains) ? list : null;
    }

    static DatasetCache.Sizes? Sizes(string text)
    {
        var parts = text.Split(',').Select(Int).ToArray();
        return parts.Length == 4 && parts.All(p => p is >= 0) ? new DatasetCache.Sizes(parts[0]!.Value, parts[1]!.Value, parts[2]!.Value, parts[3]!.Value) : null;
    }
}
