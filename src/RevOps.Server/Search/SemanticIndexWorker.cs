using RevOps.Domain.Search.Semantic;
using RevOps.Storage;

namespace RevOps.Server.Search;

/// <summary>
/// Keeps every tenant's semantic index in step with its change log, in the background: wakes after each
/// commit in this process (and each second, for other nodes' writes and the CLI's), finds the tenants whose
/// log has moved past their index and catches each up under its lease. Nothing runs on the write path.
/// </summary>
public sealed partial class SemanticIndexWorker(SemanticIndexer indexer, IVectorStore vectors, StorageBackend storage, ILogger<SemanticIndexWorker> logger)
    : BackgroundService
{
    static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    const int TenantsPerPass = 64;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var changed = storage.Changes.NextAsync();
            bool more = false;
            try
            {
                var behind = await vectors.TenantsBehindAsync(TenantsPerPass, stoppingToken);
                foreach (var tenant in behind) await indexer.CatchUpAsync(tenant, stoppingToken);
                more = behind.Count == TenantsPerPass;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogFailed(e);
            }
            if (more) continue;
            try
            {
                await Task.WhenAny(changed, Task.Delay(Poll, stoppingToken));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Semantic indexing pass failed; the next pass retries.")]
    partial void LogFailed(Exception error);
}
