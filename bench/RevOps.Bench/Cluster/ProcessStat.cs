using System.Globalization;

namespace RevOps.Bench.Cluster;

/// <summary>
/// CPU times and parentage from /proc/&lt;pid&gt;/stat, for processes the bench did not start itself
/// (PostgreSQL's postmaster and the backends it forks).
/// </summary>
public static class ProcessStat
{
    /// <summary>USER_HZ, the unit of /proc CPU times: 100 on every mainstream Linux build.</summary>
    const int ClockTicksPerSecond = 100;

    /// <summary>One process: its parent, its name, its own CPU time, and that of its children it has waited for (exited ones).</summary>
    public readonly record struct Entry(int Pid, int ParentPid, string Name, TimeSpan Cpu, TimeSpan ReapedChildrenCpu);

    public static Entry? Read(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            int open = stat.IndexOf('('), close = stat.LastIndexOf(')');
            // After the parenthesised name: state (field 3), ppid (4), …, utime (14), stime (15), cutime (16), cstime (17).
            var f = stat[(close + 2)..].Split(' ');
            long Field(int n) => long.Parse(f[n - 3], CultureInfo.InvariantCulture);
            return new Entry(pid, (int)Field(4), stat[(open + 1)..close],
                Ticks(Field(14) + Field(15)), Ticks(Field(16) + Field(17)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            // Gone meanwhile, or not Linux.
            return null;
        }
    }

    /// <summary>Every process readable in /proc.</summary>
    public static List<Entry> All()
    {
        var all = new List<Entry>();
        try
        {
            foreach (string dir in Directory.EnumerateDirectories("/proc"))
                if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && Read(pid) is { } entry)
                    all.Add(entry);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return all;
    }

    /// <summary>
    /// CPU used so far by each root process and its direct children, those still running and those
    /// exited and reaped by the root (a PostgreSQL backend ends with its connection); null when no root is readable.
    /// </summary>
    public static TimeSpan? TreeCpu(IReadOnlyCollection<int> roots)
    {
        if (roots.Count == 0) return null;
        var all = All();
        TimeSpan total = TimeSpan.Zero;
        bool any = false;
        foreach (var p in all)
        {
            if (roots.Contains(p.Pid))
            {
                total += p.Cpu + p.ReapedChildrenCpu;
                any = true;
            }
            else if (roots.Contains(p.ParentPid))
            {
                total += p.Cpu;
            }
        }
        return any ? total : null;
    }

    static TimeSpan Ticks(long ticks) => TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond);
}
