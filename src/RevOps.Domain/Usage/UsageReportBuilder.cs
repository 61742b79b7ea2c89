namespace RevOps.Domain.Usage;

/// <summary>Sums stored rows into a <see cref="UsageReport"/>: the figures of every grouping come from the same rows.</summary>
public static class UsageReportBuilder
{
    public static UsageReport Build(Guid tenant, DateOnly from, DateOnly to, IEnumerable<UsageCallRow> calls, IEnumerable<UsageLatencyRow> latency)
    {
        var total = new Tally();
        var tools = new SortedDictionary<string, Tally>(StringComparer.Ordinal);
        var days = new SortedDictionary<DateOnly, Tally>();
        var cells = new SortedDictionary<(DateOnly, string), Tally>(Comparer<(DateOnly Day, string Tool)>.Create((a, b) =>
            a.Day != b.Day ? a.Day.CompareTo(b.Day) : string.CompareOrdinal(a.Tool, b.Tool)));
        var limitedDays = new SortedDictionary<DateOnly, long>();
        var limitedChannels = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var row in calls)
        {
            if (RateLimitedUsage.ChannelOf(row.Tool) is { } channel)
            {
                limitedDays[row.Day] = limitedDays.GetValueOrDefault(row.Day) + row.Calls;
                limitedChannels[channel] = limitedChannels.GetValueOrDefault(channel) + row.Calls;
                continue;
            }
            foreach (var tally in Tallies(row.Day, row.Tool))
                tally.AddCalls(row.Success, row.Calls, row.TotalMs);
        }
        foreach (var row in latency)
        {
            if (RateLimitedUsage.ChannelOf(row.Tool) is not null) continue;
            foreach (var tally in Tallies(row.Day, row.Tool))
                tally.AddLatency(row.Bucket, row.Calls);
        }

        return new UsageReport(tenant, from, to, total.Figures(),
            tools.Select(p => new ToolUsage(p.Key, p.Value.Figures())).OrderByDescending(t => t.Figures.Requests).ThenBy(t => t.Tool, StringComparer.Ordinal).ToList(),
            days.Select(p => new DayUsage(p.Key, p.Value.Figures())).ToList(),
            cells.Select(p => new DayToolUsage(p.Key.Item1, p.Key.Item2, p.Value.Figures())).ToList())
        {
            RateLimited = new RateLimitedUsage(limitedChannels.Values.Sum(),
                limitedDays.Select(p => new RateLimitedDay(p.Key, p.Value)).ToList(),
                limitedChannels.Select(p => new RateLimitedChannel(p.Key, p.Value)).OrderByDescending(c => c.Requests).ThenBy(c => c.Channel, StringComparer.Ordinal).ToList()),
        };

        IEnumerable<Tally> Tallies(DateOnly day, string tool)
        {
            yield return total;
            yield return Get(tools, tool);
            yield return Get(days, day);
            yield return Get(cells, (day, tool));
        }
    }

    static Tally Get<TKey>(SortedDictionary<TKey, Tally> tallies, TKey key) where TKey : notnull
    {
        if (!tallies.TryGetValue(key, out var tally)) tallies[key] = tally = new Tally();
        return tally;
    }

    sealed class Tally
    {
        long _calls;
        long _errors;
        double _totalMs;
        readonly long[] _buckets = new long[LatencyBuckets.UpperBoundsMs.Length];

        public void AddCalls(bool success, long calls, double totalMs)
        {
            _calls += calls;
            if (!success) _errors += calls;
            _totalMs += totalMs;
        }

        public void AddLatency(int bucket, long calls)
        {
            if (bucket >= 0 && bucket < _buckets.Length) _buckets[bucket] += calls;
        }

        public UsageFigures Figures() => _calls == 0
            ? UsageFigures.None
            : new UsageFigures(_calls, _calls - _errors, _errors, _totalMs / _calls, LatencyBuckets.Percentile(_buckets, 0.50), LatencyBuckets.Percentile(_buckets, 0.95));
    }
}
