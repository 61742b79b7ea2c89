namespace RevOps.Bench.Durability;

/// <summary>
/// The durability run's named checks: each counts the cases it examined and keeps its first
/// violations. A check passes only when it examined something and nothing violated it, so an
/// empty run cannot pass.
/// </summary>
public sealed class CheckBook
{
    const int KeptViolations = 10;
    readonly Lock _lock = new();
    readonly List<Tally> _checks = [];

    sealed class Tally(string name, string promise)
    {
        public string Name { get; } = name;
        public string Promise { get; } = promise;
        public long Examined;
        public long Violations;
        public List<string> Examples { get; } = [];
    }

    /// <summary>Declares a check up front, so it is reported (and fails) even if no case reaches it.</summary>
    public void Define(string name, string promise)
    {
        lock (_lock) _checks.Add(new Tally(name, promise));
    }

    /// <summary>Counts one examined case; when ok is false the violation text is kept (up to a few per check).</summary>
    public void Expect(string name, bool ok, Func<string> violation)
    {
        lock (_lock)
        {
            var tally = _checks.Find(c => c.Name == name) ?? throw new InvalidOperationException($"Check '{name}' was not defined.");
            tally.Examined++;
            if (ok) return;
            tally.Violations++;
            if (tally.Examples.Count < KeptViolations) tally.Examples.Add(violation());
        }
    }

    public IReadOnlyList<CheckResult> Results()
    {
        lock (_lock)
            return _checks.Select(c => new CheckResult(c.Name, c.Promise, c.Examined, c.Violations, c.Examined > 0 && c.Violations == 0, [.. c.Examples])).ToArray();
    }
}

public sealed record CheckResult(string Name, string Promise, long Examined, long Violations, bool Passed, IReadOnlyList<string> Examples);
