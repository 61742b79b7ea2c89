namespace RevOps.Storage;

/// <summary>
/// Runs an action at most once per spacing, and never leaves a request behind: the first request runs it at
/// once, the requests that follow within the spacing become one run at the spacing's end. For wake-ups whose
/// receivers only need to know "something happened since", so a burst costs a few of them instead of one each.
/// </summary>
public sealed class Throttle(Action run, TimeSpan spacing)
{
    readonly Lock _gate = new();
    readonly long _spacingMs = (long)spacing.TotalMilliseconds;
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
            // Cleared before running: a request that comes while the action runs schedules the next run.
            _trailing = false;
            _lastRun = Environment.TickCount64;
        }
        run();
    }
}
