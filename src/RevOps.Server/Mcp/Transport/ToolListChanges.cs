using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using RevOps.Domain.Schema;
using RevOps.Server.Auth;

namespace RevOps.Server.Mcp.Transport;

/// <summary>
/// Tells a stdio client (one session, one tenant) that its tools changed: when the tenant's custom objects or
/// fields change, whether through this session, another process on the same database or the CLI, the client
/// gets <c>notifications/tools/list_changed</c> and lists again. The schema is read through the same cache every
/// tool uses, so a change elsewhere is seen within <see cref="SchemaService.RefreshAfter"/> plus one tick.
/// Streamable HTTP here is stateless (no session to notify); its clients see the change on their next tools/list.
/// </summary>
public sealed class ToolListChanges(McpServer server, SchemaService schemas, LocalCaller local, ILogger<ToolListChanges> log) : BackgroundService
{
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string? seen = null;
        using var timer = new PeriodicTimer(Tick);
        do
        {
            try
            {
                string now = (await schemas.GetAsync(local.Caller.Tenant, stoppingToken)).Fingerprint();
                if (seen is not null && now != seen)
                    await server.SendNotificationAsync(NotificationMethods.ToolListChangedNotification, stoppingToken);
                seen = now;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A database hiccup must not end the session; the next tick tries again.
                log.LogWarning(e, "could not check the tenant's schema for tool changes");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
