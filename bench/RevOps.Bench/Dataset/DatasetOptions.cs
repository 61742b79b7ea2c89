using System.Globalization;

namespace RevOps.Bench.Dataset;

/// <summary>Command line of the dataset and soak modes.</summary>
public sealed record DatasetOptions
{
    public required string ServerDll { get; init; }
    public required string OutDirectory { get; init; }
    public required string CacheDirectory { get; init; }
    public int Seed { get; init; } = 42;
    public int Tenants { get; init; } = 100;
    public DatasetCache.Sizes Large { get; init; } = new(100_000, 1_000_000, 200_000, 500_000);
    public DatasetCache.Sizes Small { get; init; } = new(20, 200, 40, 100);
    public int DurationSeconds { get; init; } = 10;
    public double WarmupSeconds { get; init; } = 2;
    public double JitWarmupMaxSeconds { get; init; } = 60;
    public int[] Concurrency { get; init; } = [1, 32];
    public string[]? Scenarios { get; init; }
    public int ReadyRuns { get; init; } = 3;
    /// <summary>Soak only: minutes of mixed load, the concurrency and the sampling window.</summary>
    public double Minutes { get; init; } = 10;
    public int SoakConcurrency { get; init; } = 16;
    public int WindowSeconds { get; init; } = 10;

    public const string Usage = """
        revops-bench dataset | soak: the real server on a generated dataset (revops demo-data, cached under bench/out/datasets).

        Options (both):
          --server <path>        revops.dll (default src/RevOps.Cli/bin/Release/net10.0/revops.dll); it also generates the dataset
          --seed <n>             dataset seed (default 42)
          --tenants <n>          tenants, the first one large (default 100)
          --large a,c,o,t        large tenant: accounts, contacts, opportunities, tasks (default 100000,1000000,200000,500000)
          --small a,c,o,t        every other tenant (default 20,200,40,100)
          --cache <dir>          dataset cache (default bench/out/datasets)
          --out <dir>            reports (default bench/results)
          --jit-warmup <s>       at most this long of mixed load before measuring, until the server's JIT is quiet (default 60)
        dataset:
          --duration <s>         measured seconds per scenario (default 10)
          --warmup <s>           discarded seconds before each (default 2)
          --concurrency <list>   default 1,32
          --scenarios <list>     subset of the scenarios (default all)
          --ready-runs <n>       server starts timed until /ready (default 3)
        soak:
          --minutes <m>          length of the mixed load (default 10)
          --soak-concurrency <n> closed-loop clients (default 16)
          --window <s>           sampling window for RSS and p99 (default 10)
        """;

    /// <summary>Parses the options; on a problem (or --help) prints it with the usage and returns the exit code.</summary>
    public static int? ParseOrExplain(string[] args, out DatasetOptions options)
    {
        options = Parse(args, out string? error)!;
        if (options is not null) return null;
        if (error is { Length: > 0 }) Console.Error.WriteLine(error);
        Console.Error.WriteLine(Usage);
        return error is { Length: > 0 } ? 2 : 0;
    }

    public static DatasetOptions? Parse(string[] args, out string? error)
    {
        error = null;
        string root = Environment.CurrentDirectory;
        var options = new DatasetOptions
        {
            ServerDll = Path.Combine(root, BenchOptions.DefaultServer),
            OutDirectory = Path.Combine(root, BenchOptions.DefaultOut),
            CacheDirectory = Path.Combine(root, "bench/out/datasets"),
        };
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] is "-h" or "--help")
            {
                error = "";
                return null;
            }
            if (i + 1 >= args.Length)
            {
                error = $"Missing value for {args[i]}.";
                return null;
            }
            string name = args[i], value = args[++i];
            DatasetOptions? next = name switch
            {
                "--server" => options with { ServerDll = Path.GetFullPath(value) },
                "--out" => options with { OutDirectory = Path.GetFullPath(value) },
                "--cache" => options with { CacheDirectory = Path.GetFullPath(value) },
                "--seed" when Int(value) is { } n => options with { Seed = n },
                "--tenants" when Int(value) is > 0 and var n => options with { Tenants = n },
                "--large" when Sizes(value) is { } s => options with { Large = s },
                "--small" when Sizes(value) is { } s => options with { Small = s },
                "--duration" when Int(value) is > 0 and var n => options with { DurationSeconds = n },
                "--warmup" when Double(value) is >= 0 and var d => options with { WarmupSeconds = d },
                "--jit-warmup" when Double(value) is >= 0 and var d => options with { JitWarmupMaxSeconds = d },
                "--concurrency" when List(value) is { } list => options with { Concurrency = list },
                "--scenarios" => options with { Scenarios = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                "--ready-runs" when Int(value) is > 0 and var n => options with { ReadyRuns = n },
                "--minutes" when Double(value) is > 0 and var d => options with { Minutes = d },
                "--soak-concurrency" when Int(value) is > 0 and var n => options with { SoakConcurrency = n },
                "--window" when Int(value) is > 0 and var n => options with { WindowSeconds = n },
                _ => null,
            };
            if (next is null)
            {
                error = $"Unknown option or invalid value: {name} {value}";
                return null;
            }
            options = next;
        }
        return options;
    }

    static int? Int(string text) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : null;

    static double? Double(string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : null;

    static int[]? List(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Int).ToArray();
        return parts.Length > 0 && parts.All(p => p is > 0) ? parts.Select(p => p!.Value).Distinct().ToArray() : null;
    }

    static DatasetCache.Sizes? Sizes(string text)
    {
        var parts = text.Split(',').Select(Int).ToArray();
        return parts.Length == 4 && parts.All(p => p is >= 0) ? new DatasetCache.Sizes(parts[0]!.Value, parts[1]!.Value, parts[2]!.Value, parts[3]!.Value) : null;
    }
}
