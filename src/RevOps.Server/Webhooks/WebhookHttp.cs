using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace RevOps.Server.Webhooks;

/// <summary>
/// The outgoing HTTP client for webhooks. Resilience here is per attempt only: a timeout, and a
/// circuit breaker per receiving host so a dead receiver is not hammered by every queued event.
/// No retries: the dispatcher's schedule owns those (hours of backoff, order per record kept),
/// and an in-client retry would resend behind its back. Redirects are not followed, since a
/// redirect could point at a private address; connections go only where WebhookTargets allows.
/// </summary>
public static class WebhookHttp
{
    public static IServiceCollection AddWebhookHttp(this IServiceCollection services, WebhookSettings settings)
    {
        services.AddHttpClient(WebhookSender.ClientName, client =>
            {
                // The resilience timeout below is the real limit; this one only has to stay out of its way.
                client.Timeout = settings.AttemptTimeout + TimeSpan.FromSeconds(5);
                client.DefaultRequestHeaders.UserAgent.ParseAdd($"RevOps-Webhooks/{Hosting.ServerVersion.Current}");
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectTimeout = settings.AttemptTimeout,
                ConnectCallback = WebhookTargets.ConnectCallback(settings.AllowPrivateTargets),
            })
            .AddResilienceHandler("webhook-attempt", pipeline =>
            {
                pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = 0.8,
                    MinimumThroughput = 20,
                    SamplingDuration = TimeSpan.FromSeconds(30),
                    BreakDuration = TimeSpan.FromSeconds(2),
                });
                pipeline.AddTimeout(settings.AttemptTimeout);
            })
            .SelectPipelineByAuthority();
        return services;
    }
}
