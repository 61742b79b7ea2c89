namespace RevOps.Storage;

/// <summary>
/// A channel between the processes that share one database, for the notices that keep their caches
/// and change wake-ups in step (another node's commit, a revoked key, a changed schema). A notice is
/// a hint: one lost costs only the wait until the receiver's own poll, so sending never waits and
/// never fails a write.
/// </summary>
public interface INodeNoticeLink
{
    /// <summary>"Redis" or "PostgreSQL", for logs and metrics.</summary>
    string Kind { get; }

    /// <summary>Whether notices sent from now on reach this process.</summary>
    bool IsListening { get; }

    /// <summary>Queues <paramref name="message"/> for every process on the link, this one included; returns at once.</summary>
    void Publish(string message);

    /// <summary>
    /// Starts handing every message received to <paramref name="received"/>, on a background thread, until
    /// <paramref name="stopping"/> fires; <paramref name="linkChanged"/> hears null when the link (re)connects
    /// and the error when it is lost, so the caller can log each outage once.
    /// </summary>
    void Listen(Action<string> received, Action<Exception?> linkChanged, CancellationToken stopping);
}
