using System.Globalization;

namespace RevOps.Bench;

public sealed record BenchOptions
{
    public const string DefaultServer = "src/RevOps.Cli/bin/Release/net10.0/revops.dll";
    public const string DefaultOut = "bench/results";

    public required string RepoRoot { get; init; }
    public required string ServerDll { get; init; }
    public required string OutDirectory { get; init; }
    public int DurationSeconds { get; init; } = 10;
    public double WarmupSeconds { get; init; } = 2;
    public double JitWarmupMaxSeconds { get; init; } = 60;
    public int Seed { get; init; } = 1000;
    public int[] Concurrency { get; init; } = [1, 32];
    public string[] Scenarios { get; init; } = AllScenarios;

    public static readonly string[] AllScenarios = ["health", "get_contact", "create_contact"];

    public const string Usage = """
        revops-bench: load-tests a real `revops serve` process over loopback HTTP.

        Options:
          --server <path>        revops.dll to run (default src/RevOps.Cli/bin/Release/net10.0/revops.dll under the repo root)
          --duration <seconds>   measured seconds per scenario (default 10)
          --warmup <seconds>     discarded warm-up before each scenario (default 2)
          --jit-warmup <seconds> at most this long, mixed load before the scenarios until the server's JIT is quiet (default 60)
          --seed <count>         contacts created before the read scenarios (default 1000)
          --concurrency <list>   comma-separated closed-loop concurrencies (default 1,32)
          --scenarios <list>     any of health,get_contact,create_contact (default all; ratios need the first two)
          --out <dir>            where <date>-get-contact.json/.md go (default bench/results under the repo root)
        """;

    /// <summary>Parses the command line; relative paths given by the user are relative to the current directory, defaults to the repo root.</summary>
    public static BenchOptions? Parse(string[] args, out string? error)
    {
        error = null;
        string root = FindRepoRoot();
        string? server = null, output = null;
        int duration = 10, seed = 1000;
        double warmup = 2, jitWarmup = 60;
        int[] concurrency = [1, 32];
        string[] scenarios = AllScenarios;

        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg is "-h" or "--help" or "-?")
            {
                error = "";
                return null;
            }
            if (i + 1 >= args.Length)
            {
                error = $"Missing value for {arg}.";
                return null;
            }
            string value = args[++i];
            switch (arg)
            {
                case "--server": server = Path.GetFullPath(value); break;
                case "--out": output = Path.GetFullPath(value); break;
                case "--duration" when int.TryParse(value, CultureInfo.InvariantCulture, out duration) && duration > 0: break;
                case "--warmup" when double.TryParse(value, CultureInfo.InvariantCulture, out warmup) && warmup >= 0: break;
                case "--jit-warmup" when double.TryParse(value, CultureInfo.InvariantCulture, out jitWarmup) && jitWarmup >= 0: break;
                case "--seed" when int.TryParse(value, CultureInfo.InvariantCulture, out seed) && seed > 0: break;
                case "--concurrency":
                    var parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    var parsed = parts.Select(p => int.TryParse(p, CultureInfo.InvariantCulture, out int c) && c > 0 ? c : -1).ToArray();
                    if (parsed.Length == 0 || parsed.Any(c => c < 0))
                    {
                        error = $"--concurrency takes positive integers separated by commas, not '{value}'.";
                        return null;
                    }
                    concurrency = parsed.Distinct().ToArray();
                    break;
                case "--scenarios":
                    scenarios = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToArray();
                    if (scenarios.Length == 0 || scenarios.Except(AllScenarios).Any())
                    {
                        error = $"--scenarios takes a comma-separated subset of {string.Join(',', AllScenarios)}, not '{value}'.";
                        return null;
                    }
                    break;
                default:
                    error = $"Unknown option or invalid value: {arg} {value}";
                    return null;
            }
        }

        return new BenchOptions
        {
            RepoRoot = root,
            ServerDll = server ?? Path.Combine(root, DefaultServer),
            OutDirectory = output ?? Path.Combine(root, DefaultOut),
            DurationSeconds = duration,
            WarmupSeconds = warmup,
            JitWarmupMaxSeconds = jitWarmup,
            Seed = seed,
            Concurrency = concurrency,
            Scenarios = scenarios,
        };
    }

    /// <summary>The directory holding RevOps.slnx, searched upwards from the current directory, then from this program.</summary>
    public static string FindRepoRoot()
    {
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "RevOps.slnx"))) return dir.FullName;
        }
        return Environment.CurrentDirectory;
    }
}
