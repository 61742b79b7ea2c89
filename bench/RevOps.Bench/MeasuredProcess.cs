namespace RevOps.Bench;

/// <summary>
/// A process measured over the same window as the server (another node, the database): its name in the
/// report and its CPU time so far, null when it cannot be read.
/// </summary>
public sealed record MeasuredProcess(string Name, Func<TimeSpan?> CpuTime);
