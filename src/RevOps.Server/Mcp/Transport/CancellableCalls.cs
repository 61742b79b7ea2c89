using System.Collections.Concurrent;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using RevOps.Domain.Tenancy;
using RevOps.Server.Auth;

namespace RevOps.Server.Mcp.Transport;

/// <summary>
/// Long tool calls in flight, so notifications/cancelled can stop them. In stateless HTTP the
/// notification arrives on a POST of its own, which the SDK cannot tie to the call; we match it
/// by the caller (tenant and key) and the request id, so only the caller who started a call can
/// cancel it. A closed connection cancels the call as well.
/// </summary>
public sealed class CancellableCalls
{
    readonly ConcurrentDictionary<(TenantId Tenant, string Actor, RequestId Request), CancellationTokenSource> _calls = new();

    /// <summary>A token cancelled by the caller's notifications/cancelled or by <paramref name="aborted"/>; dispose when the call ends.</summary>
    public Registration Register(Caller caller, RequestId request, CancellationToken aborted)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var key = (caller.Tenant, (caller.KeyId ?? caller.ActorId), request);
        _calls[key] = source;
        return new Registration(this, key, source);
    }

    public bool Cancel(Caller caller, RequestId request)
    {
        if (!_calls.TryGetValue((caller.Tenant, (caller.KeyId ?? caller.ActorId), request), out var source)) return false;
        source.Cancel();
        return true;
    }

    public sealed class Registration(CancellableCalls owner, (TenantId, string, RequestId) key, CancellationTokenSource source) : IDisposable
    {
        public CancellationToken Token => source.Token;

        public void Dispose()
        {
            owner._calls.TryRemove(new KeyValuePair<(TenantId, string, RequestId), CancellationTokenSource>(key, source));
            source.Dispose();
        }
    }
}

/// <summary>Installs <see cref="CancellableCalls"/> on an MCP server.</summary>
public static class CancellableCallsSetup
{
    /// <summary>Routes notifications/cancelled of every MCP request to the calls registered here.</summary>
    public static IMcpServerBuilder WithCancellableCalls(this IMcpServerBuilder builder)
    {
        builder.Services.AddSingleton<CancellableCalls>();
        builder.Services.AddOptions<McpServerOptions>().Configure<CancellableCalls>((options, calls) =>
            options.Handlers.NotificationHandlers = [.. options.Handlers.NotificationHandlers ?? [],
                new(NotificationMethods.CancelledNotification, (notification, _) =>
                {
                    var cancelled = notification.Params?.Deserialize<CancelledNotificationParams>(McpJsonUtilities.DefaultOptions);
                    if (cancelled is not null && CallerClaims.FromPrincipal(notification.Context?.User, CallerResolver.McpChannel) is { } caller)
                        calls.Cancel(caller, cancelled.RequestId);
                    return ValueTask.CompletedTask;
                })]);
        return builder;
    }
}
