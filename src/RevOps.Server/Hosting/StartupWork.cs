using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;
using RevOps.Server.Observability;

namespace RevOps.Server.Hosting;

/// <summary>
/// The two longest pieces of start-up work, begun on the thread pool as soon as the container exists so they
/// run on another core while this thread builds the metrics exporter, maps the endpoints and starts Kestrel:
/// opening the database (what /ready waits for), then the MCP server's options with the tool catalog
/// (MapMcp needs them and waits for them if they are not done). Nothing is skipped: the same work, earlier.
/// </summary>
public static class StartupWork
{
    public static void Begin(IServiceProvider services)
    {
        services.GetRequiredService<Readiness>().BeginOpening();
        // A failure here is left to MapMcp, which builds the options again and throws as it always has.
        _ = Task.Run(() => services.GetRequiredService<IOptions<McpServerOptions>>().Value)
            .ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
    }
}
