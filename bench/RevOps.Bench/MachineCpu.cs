using System.Globalization;

namespace RevOps.Bench;

/// <summary>
/// Busy CPU time of the whole machine from /proc/stat, to tell how much of it neither the server
/// nor the load generator used (other processes: concurrent builds would show up here).
/// </summary>
public static class MachineCpu
{
    const int ClockTicksPerSecond = 100;

    /// <summary>All CPUs' non-idle time so far (user, nice, system, irq, softirq, steal); null without /proc.</summary>
    public static TimeSpan? BusyTime()
    {
        try
        {
            string? line = File.ReadLines("/proc/stat").FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
            if (line is null) return null;
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // cpu user nice system idle iowait irq softirq steal ...
            long busy = 0;
            foreach (int i in new[] { 1, 2, 3, 6, 7, 8 })
                if (i < f.Length) busy += long.Parse(f[i], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(busy / (double)ClockTicksPerSecond);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}
