using OpenTelemetry.Metrics;
using RevOps.Server.Observability;

namespace RevOps.Server.Hosting;

/// <summary>
/// The longest pieces of start-up work, begun on the thread pool as soon as the container exists so they
/// run on another core while this thread maps the endpoints: opening the database (what /ready waits for);
/// the metrics exporter's MeterProvider (MapRevOpsMetrics needs it); the hosted services' constructors (the
/// host's start needs them). Not the MCP server's options: they build the tool catalog, which nothing needs
/// before the first MCP request or GET /tools, so that request builds it (ToolCatalog). Whoever needs
/// one first and finds it not done waits for it (the container builds each singleton once) or builds it itself
/// if the pool has not begun it. Nothing is skipped: the same work, earlier, and all of it done before Kestrel
/// listens, so the MeterProvider still sees every request.
/// </summary>
public static class StartupWork
{
    public static void Begin(IServiceProvider services)
    {
        services.GetRequiredService<Readiness>().BeginOpening();
        // Queued in this order because the pool starts with one thread per core: the MeterProvider needs no
        // storage and runs beside the database open; the hosted services wait for the database.
        Run(() => services.GetService<MeterProvider>());
        Run(() => services.GetServices<IHostedService>());
    }

    // A failure here is left to the main thread, which builds the same service again and throws as it always has.
    static void Run<T>(Func<T> build) =>
        _ = Task.Run(build).ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
}
