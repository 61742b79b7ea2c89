using System.Globalization;

namespace RevOps.Bench.Durability;

/// <summary>The durability mode's command line.</summary>
public sealed record DurabilityOptions
{
    public required string ServerDll { get; init; }
    public required string OutDirectory { get; init; }
    public int Cycles { get; init; } = 5;
    public int WritersPerChannel { get; init; } = 2;
    public int Tenants { get; init; } = 2;
    public int Seed { get; init; } = 20261201;
    public double KillAfterMinSeconds { get; init; } = 1;
    public double KillAfterMaxSeconds { get; init; } = 3;
    /// <summary>A PostgreSQL connection string the server runs on (revops serve --db), or null for its SQLite file.</summary>
    public string? Database { get; init; }

    public const string Usage = """
        revops-bench durability: writers at full speed over MCP and REST; the server is killed with SIGKILL
        mid-load and restarted on the same data, several times; then every acknowledged write must be there,
        with exactly one change-log row, and nothing unacknowledged half-written.

        Options:
          --server <path>       revops.dll to run (default src/RevOps.Cli/bin/Release/net10.0/revops.dll under the repo root)
          --cycles <n>          kills (each followed by a restart), default 5
          --writers <n>         writers per channel per tenant, default 2 (6 channels, 2 tenants: 24 writers)
          --tenants <n>         tenants written to at once, default 2
          --kill-after <a-b>    seconds of load before each kill, drawn uniformly (seeded), default 1-3
          --seed <n>            seed of the kill times, default 20261201
          --db <connection>     run the server on this PostgreSQL database (an empty one) instead of its SQLite file
          --out <dir>           where <date>-durability.json/.md go (default bench/results under the repo root)
        """;

    public static DurabilityOptions? Parse(string[] args, string repoRoot, out string? error)
    {
        error = null;
        var options = new DurabilityOptions
        {
            ServerDll = Path.Combine(repoRoot, Bench.BenchOptions.DefaultServer),
            OutDirectory = Path.Combine(repoRoot, Bench.BenchOptions.DefaultOut),
        };
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg is "-h" or "--help")
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
            DurabilityOptions? next = arg switch
            {
                "--server" => options with { ServerDll = Path.GetFullPath(value) },
                "--out" => options with { OutDirectory = Path.GetFullPath(value) },
                "--db" => options with { Database = value },
                "--cycles" when Positive(value) is { } n => options with { Cycles = n },
                "--writers" when Positive(value) is { } n => options with { WritersPerChannel = n },
                "--tenants" when Positive(value) is { } n => options with { Tenants = n },
                "--seed" when int.TryParse(value, CultureInfo.InvariantCulture, out int seed) => options with { Seed = seed },
                "--kill-after" when Range(value) is { } r => options with { KillAfterMinSeconds = r.Min, KillAfterMaxSeconds = r.Max },
                _ => null,
            };
            if (next is null)
            {
                error = $"Unknown option or invalid value: {arg} {value}";
                return null;
            }
            options = next;
        }
        return options;
    }

    static int? Positive(string text) => int.TryParse(text, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : null;

    static (double Min, double Max)? Range(string text)
    {
        var parts = text.Split('-', 2);
        return parts.Length == 2 && double.TryParse(parts[0], CultureInfo.InvariantCulture, out double min)
            && double.TryParse(parts[1], CultureInfo.InvariantCulture, out double max) && min > 0 && max >= min ? (min, max) : null;
    }
}
