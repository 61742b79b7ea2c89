using RevOps.Storage;

namespace RevOps.Server.Observability;

/// <summary>
/// Opens the database (applying migrations) in the background as the server starts, so /ready can
/// answer 503 while that runs, and afterwards 503 whenever a read of the database fails.
/// </summary>
public sealed class Readiness(IServiceProvider services, ILogger<Readiness> logger) : IHostedService
{
    public const string Path = "/ready";
    volatile Task<StorageBackend>? _opening;
    readonly Lock _begin = new();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        BeginOpening();
        return Task.CompletedTask;
    }

    /// <summary>Starts opening (and migrating) the database on the thread pool, once: the server calls it as soon as its container is built.</summary>
    public void BeginOpening()
    {
        lock (_begin)
        {
            if (_opening is not null) return;
            _opening = Task.Run(() =>
            {
                var storage = services.GetRequiredService<StorageBackend>();
                Hosting.StartupTrace.Mark("database open");
                return storage;
            }, CancellationToken.None);
            _opening.ContinueWith(t => logger.LogError(t.Exception, "The database could not be opened"), TaskContinuationOptions.OnlyOnFaulted);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Null when ready; otherwise why not.</summary>
    public string? Problem()
    {
        if (_opening is null || !_opening.IsCompleted) return "starting: the database is being opened and migrated";
        if (_opening.IsFaulted) return "the database could not be opened: " + _opening.Exception!.GetBaseException().Message;
        try
        {
            _ = _opening.Result.SchemaVersion;
            Hosting.StartupTrace.Ready();
            return null;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or IOException or TimeoutException or InvalidOperationException)
        {
            return "the database cannot be read: " + e.Message;
        }
    }

    public static void MapReadiness(WebApplication app) => app.MapGet(Path, (Readiness readiness) =>
        readiness.Problem() is { } problem
            ? Results.Json(new Json.ErrorBody("not_ready", problem), Json.ServerJson.Default.ErrorBody, statusCode: StatusCodes.Status503ServiceUnavailable)
            : TypedResults.Text("{\"status\":\"ready\"}", "application/json"));
}
