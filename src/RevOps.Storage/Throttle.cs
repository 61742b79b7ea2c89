namespace RevOps.Storage;

/// <summary>
/// Runs an action at most <c>burst</c> times at once and then once per spacing, and never leaves a request behind: a
/// request runs it at once while the bucket has a run in it (one comes back every spacing, up to <c>burst</c>), and the
/// requests made while it is empty become one run when the next comes back. For wake-ups whose receivers only need to
/// know "something happened since": an occasional request is never delayed, a flood costs one run per spacing.
/// </summary>
public sealed class Throttle
{
    readonly Action _run;
    readonly double _spacingMs;
    readonly int _burst;
    readonly Lock _gate = new();
    double _runs;
    long _refilledAt = Environment.TickCount64;
    bool _trailing;

    public Throttle(Action run, TimeSpan spacing, int burst = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        _run = run;
        _spacingMs = Math.Max(1, spacing.TotalMilliseconds);
        _burst = burst;
        _runs = burst;
    }

    public void Request()
    {
        double wait;
        lock (_gate)
        {
            if (_trailing) return;
            Refill();
            if (_runs >= 1)
            {
                _runs -= 1;
                wait = 0;
            }
            else
            {
                _trailing = true;
                wait = (1 - _runs) * _spacingMs;
            }
        }
        if (wait <= 0) _run();
        else _ = RunAfterAsync(wait);
    }

    void Refill()
    {
        long now = Environment.TickCount64;
        _runs = Math.Min(_burst, _runs + (now - _refilledAt) / _spacingMs);
        _refilledAt = now;
    }

    async Task RunAfterAsync(double milliseconds)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(milliseconds))).ConfigureAwait(false);
        lock (_gate)
        {
            // Cleared before running: a request that comes while the action runs is not lost, it waits for the next run.
            _trailing = false;
            Refill();
            _runs = Math.Max(0, _runs - 1);
        }
        _run();
    }
}
