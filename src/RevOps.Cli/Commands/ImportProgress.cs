using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace RevOps.Cli.Commands;

/// <summary>The import's progress bar on stderr (stdout keeps the summary for scripts): rows, rows/s, failed, ETA.</summary>
internal static class ImportProgress
{
    public static async Task RunAsync(long expectedRows, Stopwatch clock, Func<Action<ImportTally>, Task> run)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("importing", maxValue: Math.Max(expectedRows, 1));
                await run(tally =>
                {
                    double perSecond = tally.Read / Math.Max(clock.Elapsed.TotalSeconds, 0.001);
                    // Values spanning lines make the line count an overestimate; the bar never runs past the end.
                    task.Value = Math.Min(tally.Read, task.MaxValue);
                    task.Description = string.Create(CultureInfo.InvariantCulture, $"{tally.Read:N0} rows  {perSecond:N0} rows/s  {tally.Failed:N0} failed");
                });
                task.Value = task.MaxValue;
            });
    }
}
