using System.Diagnostics;

namespace RevOps.Server.Tests;

/// <summary>Runs the real `revops` executable (built beside the tests) as a separate process.</summary>
public static class Cli
{
    public sealed record Output(int ExitCode, string StdOut, string StdErr);

    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "revops.dll");

    public static Task<Output> RunAsync(params string[] args) => RunWithInputAsync(null, args);

    /// <summary>The same with <paramref name="input"/> on stdin (a password), then stdin closed.</summary>
    public static async Task<Output> RunWithInputAsync(string? input, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null, UseShellExecute = false };
        start.ArgumentList.Add(DllPath);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["NO_COLOR"] = "1";
        start.Environment["COLUMNS"] = "200";
        // A run on a test server's data directory works on that server's database, whichever backend it is.
        int data = Array.IndexOf(args, "--data");
        if (data >= 0 && data + 1 < args.Length && TestDatabase.ForDataDirectory(args[data + 1]) is { } database) start.Environment["REVOPS_DB"] = database;
        using var process = Process.Start(start)!;
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return new Output(process.ExitCode, await stdout, await stderr);
    }
}
