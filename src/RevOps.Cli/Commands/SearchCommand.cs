using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using RevOps.Domain.Search.Semantic;
using RevOps.Domain.Tenancy;

namespace RevOps.Cli.Commands;

/// <summary>revops search reindex: rebuilds a tenant's semantic index now, with the model in this process.</summary>
internal static class SearchCommand
{
    public static Command Create()
    {
        var command = new Command("search", "Semantic search's index (docs/search.md).");
        command.Subcommands.Add(Reindex());
        return command;
    }

    static Command Reindex()
    {
        var tenant = new Option<string>("--tenant") { Description = "Tenant id (UUID).", Required = true };
        var data = CommonOptions.Data();
        var command = new Command("reindex", "Forget the tenant's vectors and embed every record again (a running server keeps following the change log afterwards).") { tenant, data };
        command.SetAction(async (result, ct) =>
        {
            await using var store = LocalStore.Open(CommonOptions.Local(result, data));
            if (!TenantId.TryParse(result.GetValue(tenant), out var id) || await store.TenantStore.GetAsync(id, ct) is null)
                return CommonOptions.Fail($"'{result.GetValue(tenant)}' is not the id of a tenant here (revops tenant list shows them).");
            var vectors = store.Services.GetRequiredService<IVectorStore>();
            var indexer = store.Services.GetRequiredService<SemanticIndexer>();
            var clock = Stopwatch.StartNew();
            await vectors.ResetAsync(id, ct);
            int written = await indexer.CatchUpAsync(id, ct);
            var state = await vectors.StateAsync(id, ct);
            if (state is not { Built: true })
                return CommonOptions.Fail("Another process holds this tenant's indexing lease (a server is rebuilding it); it finishes the rebuild. Try again in two minutes to force it here.");
            double seconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"Reindexed tenant {id}: {written} records embedded in {seconds:F1} s ({written / Math.Max(seconds, 0.001):F0} records/s); the index follows the change log from seq {state.Seq}.");
            return 0;
        });
        return command;
    }
}
