namespace RevOps.Server.Webhooks;

/// <summary>How webhooks are delivered. The defaults are production's; tests shorten the times through REVOPS_WEBHOOK_* variables.</summary>
public sealed record WebhookSettings
{
    /// <summary>Deliver to loopback, private, link-local and unique-local addresses, and over plain http (--allow-private-webhooks).</summary>
    public bool AllowPrivateTargets { get; init; }

    /// <summary>The delay before the second attempt; each later one doubles it (with jitter) up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long an event is retried before it is dead-lettered.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromHours(24);

    /// <summary>One attempt's limit: connect, send and the receiver's response headers.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts in flight at once, over every tenant (events of one record still go one at a time).</summary>
    public int Concurrency { get; init; } = 64;

    /// <summary>
    /// How long a claimed delivery stays ours. It outlasts an attempt (timeout) with room for
    /// recording the outcome; after a crash the delivery is due again when it ends.
    /// </summary>
    public TimeSpan Lease => AttemptTimeout * 1.5 + TimeSpan.FromSeconds(1);
}
