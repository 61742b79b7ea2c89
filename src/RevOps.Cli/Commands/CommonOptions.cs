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

    public static RevOpsOptions Local(ParseResult result, Option<string?> data) =>
        new() { DataDirectory = DataDirectory(result, data) };

    public static bool EnvFlag(string name) =>
        Environment.GetEnvironmentVariable(name) is { } value && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase));

    public static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 1;
    }
}
