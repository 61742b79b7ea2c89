using RevOps.Server.Webhooks;

namespace RevOps.Cli.Commands;

/// <summary>
/// Webhook settings from the environment. REVOPS_ALLOW_PRIVATE_WEBHOOKS is the operator's switch;
/// the REVOPS_WEBHOOK_* timings exist so tests can compress hours of retries into seconds.
/// </summary>
internal static class WebhookOptions
{
    public static WebhookSettings FromEnvironment(bool allowPrivateFlag)
    {
        var defaults = new WebhookSettings();
        return new WebhookSettings
        {
            AllowPrivateTargets = allowPrivateFlag || CommonOptions.EnvFlag("REVOPS_ALLOW_PRIVATE_WEBHOOKS"),
            RetryBaseDelay = Milliseconds("REVOPS_WEBHOOK_RETRY_BASE_MS") ?? defaults.RetryBaseDelay,
            RetryMaxDelay = Milliseconds("REVOPS_WEBHOOK_RETRY_MAX_MS") ?? defaults.RetryMaxDelay,
            MaxAge = Milliseconds("REVOPS_WEBHOOK_MAX_AGE_MS") ?? defaults.MaxAge,
            AttemptTimeout = Milliseconds("REVOPS_WEBHOOK_TIMEOUT_MS") ?? defaults.AttemptTimeout,
            Concurrency = int.TryParse(Environment.GetEnvironmentVariable("REVOPS_WEBHOOK_CONCURRENCY"), out int c) && c > 0 ? c : defaults.Concurrency,
        };
    }

    static TimeSpan? Milliseconds(string variable) =>
        long.TryParse(Environment.GetEnvironmentVariable(variable), out long ms) && ms > 0 ? TimeSpan.FromMilliseconds(ms) : null;
}
