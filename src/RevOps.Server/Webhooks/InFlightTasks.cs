using RevOps.Storage;

namespace RevOps.Server.Webhooks;

/// <summary>
/// The attempts a leasing worker (webhook deliveries, recording fetches) has running: how many slots are taken, and a
/// pulse of the worker's signal whenever one ends, so it claims more at once instead of at its next poll.
/// </summary>
public sealed class InFlightTasks
{
    readonly Lock _lock = new();
    readonly HashSet<Task> _running = [];

    public int Count
    {
        get { lock (_lock) return _running.Count; }
    }

    public void Track(Task task, ChangeSignal finished)
    {
        lock (_lock)
            if (!task.IsCompleted) _running.Add(task);
        _ = task.ContinueWith(t =>
        {
            lock (_lock) _running.Remove(t);
            finished.Pulse();
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Completes when every attempt running now has ended (at shutdown).</summary>
    public Task WhenAllAsync()
    {
        Task[] running;
        lock (_lock) running = [.. _running];
        return Task.WhenAll(running);
    }
}
