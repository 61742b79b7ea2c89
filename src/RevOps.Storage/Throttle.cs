namespace RevOps.Storage;

/// <summary>
/// Runs an action at most once per spacing, and never leaves a request behind: a request runs it at once when the last
/// run was a spacing ago or more, and the requests made within the spacing become one run at its end. For wake-ups
/// whose receivers only need to know "something happened since": a flood costs one run per spacing.
/// </summary>
internal sealed class Throttle(Action run, TimeSpan spacing)
{
    readonly Lock _gate = new();
    readonly long _spacingMs = Math.Max(1, (long)spacing.TotalMilliseconds);
    long _lastRun = long.MinValue / 2;
    bool _trailing;

    public void Request()
    {
        long wait;
        lock (_gate)
        {
            if (_trailing) return;
            long now = Environment.TickCount64;
            wait = _lastRun + _spacingMs - now;
            if (wait <= 0) _lastRun = now;
            else _trailing = true;
        }
        if (wait <= 0) run();
        else _ = RunAfterAsync(wait);
    }

    async Task RunAfterAsync(long milliseconds)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(milliseconds)).ConfigureAwait(false);
        lock (_gate)
        {
            // Cleared before running: a request that comes while the action runs is not lost, it waits for the next run.
            _trailing = false;
            _lastRun = Environment.TickCount64;
        }
        run();
    }
}
