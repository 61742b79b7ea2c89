using System.Diagnostics;

namespace RevOps.Server.Hosting;

/// <summary>
/// With REVOPS_STARTUP_TRACE=1, one stderr line per start-up milestone: wall and CPU milliseconds since the
/// process started. How bench/results/2026-12-06-startup-2.md found where the time to /ready goes.
/// </summary>
public static class StartupTrace
{
    static readonly bool On = Environment.GetEnvironmentVariable("REVOPS_STARTUP_TRACE") == "1";
    static int s_readyMarked;

    public static void Mark(string milestone)
    {
        if (!On) return;
        using var process = Process.GetCurrentProcess();
        double wall = (DateTime.Now - process.StartTime).TotalMilliseconds;
        // JIT figures say how much of the CPU is compiling code that ReadyToRun did not cover.
        System.Console.Error.WriteLine($"startup {milestone}: wall {wall:F0} ms, cpu {process.TotalProcessorTime.TotalMilliseconds:F0} ms, "
            + $"jit {System.Runtime.JitInfo.GetCompiledMethodCount()} methods {System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds:F0} ms");
    }

    /// <summary>Marks the first answer of /ready that said ready.</summary>
    public static void Ready()
    {
        if (On && Interlocked.Exchange(ref s_readyMarked, 1) == 0) Mark("first /ready 200");
    }
}
