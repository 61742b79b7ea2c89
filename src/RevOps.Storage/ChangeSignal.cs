namespace RevOps.Storage;

/// <summary>
/// Pulsed after every commit that appended to the change log, so the webhook dispatcher wakes at
/// once instead of polling. Pulses coalesce: a waiter learns "something changed since you last
/// looked", never how often.
/// </summary>
public sealed class ChangeSignal
{
    TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next pulse after this call.</summary>
    public Task NextAsync() => Volatile.Read(ref _next).Task;

    public void Pulse() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
