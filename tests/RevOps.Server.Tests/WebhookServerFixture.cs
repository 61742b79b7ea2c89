using RevOps.Server.Webhooks;

namespace RevOps.Server.Tests;

/// <summary>
/// The real server with webhooks allowed to reach the loopback receiver, and hours of retry
/// schedule compressed into milliseconds (the operator's knobs, as tests set them).
/// </summary>
public sealed class WebhookServerFixture : IAsyncLifetime
{
    public static WebhookSettings Settings(TimeSpan? maxAge = null) => new()
    {
        AllowPrivateTargets = true,
        RetryBaseDelay = TimeSpan.FromMilliseconds(50),
        RetryMaxDelay = TimeSpan.FromMilliseconds(300),
        MaxAge = maxAge ?? TimeSpan.FromMinutes(5),
        AttemptTimeout = TimeSpan.FromSeconds(2),
    };

    public CrmServerFixture Server { get; } = new(conformanceFixtures: false, Settings());

    public ValueTask InitializeAsync() => Server.InitializeAsync();

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
