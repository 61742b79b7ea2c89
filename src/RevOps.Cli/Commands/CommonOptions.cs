using System.CommandLine;
using RevOps.Server.Hosting;

namespace RevOps.Cli.Commands;

/// <summary>Options shared by commands; each falls back to its REVOPS_* variable, then the default.</summary>
internal static class CommonOptions
{
    public static Option<string?> Data() => new("--data")
    {
        Description = "Data directory holding revops.db (env REVOPS_DATA; default ./data).",
    };

    public static string DataDirectory(ParseResult result, Option<string?> data) =>
        result.GetValue(data) ?? Environment.GetEnvironmentVariable("REVOPS_DATA") ?? "./data";

    /// <summary>
    /// --db: every command takes it (a recursive option on the root), so `revops migrate`, `tenant`,
    /// `key`, … work on the same PostgreSQL database the server uses.
    /// </summary>
    public static Option<string?> Database { get; } = new("--db")
    {
        Description = "PostgreSQL connection string, e.g. \"Host=db;Database=revops;Username=revops\" (env REVOPS_DB); without it, the SQLite file in --data.",
        Recursive = true,
    };

    public static string? DatabaseConnection(ParseResult result) =>
        result.GetValue(Database) is { Length: > 0 } db ? db : Environment.GetEnvironmentVariable("REVOPS_DB") is { Length: > 0 } env ? env : null;

    public static RevOpsOptions Local(ParseResult result, Option<string?> data) =>
        new() { DataDirectory = DataDirectory(result, data), Database = DatabaseConnection(result) };

    public static Option<string?> PriceBook() => new("--price-book")
    {
        Description = "JSON price book for invoice previews, e.g. {\"base_monthly\": 49, \"per_1000_requests\": 0.10, \"tiers\": {\"enterprise\": {\"base_monthly\": 499}}} (env REVOPS_PRICE_BOOK; default $49/month + $0.10 per 1,000 requests).",
    };

    public static Server.Usage.PriceBookFile.Outcome LoadPriceBook(ParseResult result, Option<string?> priceBook) =>
        Server.Usage.PriceBookFile.Load(result.GetValue(priceBook) ?? Environment.GetEnvironmentVariable("REVOPS_PRICE_BOOK"));

    public static bool EnvFlag(string name) =>
        Environment.GetEnvironmentVariable(name) is { } value && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase));

    public static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 1;
    }
}
