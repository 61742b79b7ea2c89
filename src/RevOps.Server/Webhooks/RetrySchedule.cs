namespace RevOps.Server.Webhooks;

/// <summary>
/// When a failed delivery is tried again: exponential backoff (base, 2×base, 4×base … capped)
/// with jitter drawn from the upper half of the delay, so receivers coming back from an outage
/// are not hit by every sender in the same instant. The last attempt falls at the end of the
/// retry window; after it the delivery is dead-lettered.
/// </summary>
public static class RetrySchedule
{
    /// <param name="attempt">The attempt that just failed, counting from 1.</param>
    /// <returns>The next attempt's time, or null when the window is over (dead-letter).</returns>
    public static DateTime? Next(int attempt, DateTime windowStart, DateTime now, WebhookSettings settings, Random random)
    {
        var windowEnd = windowStart + settings.MaxAge;
        if (now >= windowEnd) return null;
        double exponential = settings.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        double capped = Math.Min(exponential, settings.RetryMaxDelay.TotalMilliseconds);
        double jittered = capped / 2 + random.NextDouble() * capped / 2;
        var next = now + TimeSpan.FromMilliseconds(jittered);
        return next < windowEnd ? next : windowEnd;
    }
}
