namespace RevOps.Server.BulkJobs;

/// <summary>Wakes this node's runner when a job here becomes runnable, so it need not wait for its next look.</summary>
public sealed class BulkJobSignal
{
    readonly SemaphoreSlim _ready = new(0, 1);

    public void Pulse()
    {
        try { _ready.Release(); }
        catch (SemaphoreFullException) { } // already pulsed
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => _ready.WaitAsync(timeout, ct);
}
