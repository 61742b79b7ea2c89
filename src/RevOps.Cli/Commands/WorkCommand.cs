using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Work;
using RevOps.Server.Work;

namespace RevOps.Cli.Commands;

/// <summary>`revops work list|enqueue` on the local database: the agents' work queue (docs/work-queue.md), as the tenant's default user.</summary>
internal static class WorkCommand
{
    public static Command Create()
    {
        var command = new Command("work", "List or add items of a tenant's work queue for agents in the local database.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Enqueue());
        return command;
    }

    static Option<string> TenantOption() => new("--tenant") { Description = "Tenant id (UUID).", Required = true };

    static Command List()
    {
        var tenant = TenantOption();
        var queue = new Option<string?>("--queue") { Description = "Only this queue." };
        var state = new Option<string?>("--state") { Description = $"Only items in this state: {string.Join(", ", WorkItem.States.All)}." };
        var limit = new Option<int>("--limit") { Description = "How many, newest first.", DefaultValueFactory = _ => 50 };
        var data = CommonOptions.Data();
        var command = new Command("list", "Items as JSON, newest first, with the count of each state.") { tenant, queue, state, limit, data };
        command.SetAction((result, ct) => RunAsync(result, tenant, data, ct, async (work, caller) =>
        {
            var listed = await work.ListAsync(caller, result.GetValue(queue), result.GetValue(state), result.GetValue(limit), ct);
            if (!listed.IsOk) return CommonOptions.Fail(listed.Error.Message);
            WriteJson(w => WorkJson.WriteList(w, listed.Value));
            return 0;
        }));
        return command;
    }

    static Command Enqueue()
    {
        var tenant = TenantOption();
        var queue = new Option<string>("--queue") { Description = "The queue, e.g. research.", Required = true };
        var prompt = new Option<string>("--prompt") { Description = "What the agent should do.", Required = true };
        var record = new Option<string?>("--record-id") { Description = "The record the item is about." };
        var type = new Option<string?>("--type") { Description = "The item's type (default task)." };
        var priority = new Option<string?>("--priority") { Description = "low, normal (default) or high." };
        var due = new Option<string?>("--due") { Description = "ISO 8601 date or date and time." };
        var data = CommonOptions.Data();
        var command = new Command("enqueue", "Add an item; prints it as JSON.") { tenant, queue, prompt, record, type, priority, due, data };
        command.SetAction((result, ct) => RunAsync(result, tenant, data, ct, async (work, caller) =>
        {
            var request = new WorkRequest(result.GetValue(queue), result.GetValue(prompt), result.GetValue(record), result.GetValue(type), result.GetValue(priority), result.GetValue(due));
            var queued = await work.EnqueueAsync(caller, request, ct);
            if (!queued.IsOk) return CommonOptions.Fail(queued.Error.Message);
            WriteJson(w => WorkJson.WriteItem(w, queued.Value.Item));
            return 0;
        }));
        return command;
    }

    static async Task<int> RunAsync(ParseResult result, Option<string> tenant, Option<string?> data, CancellationToken ct, Func<WorkQueueService, Caller, Task<int>> work)
    {
        if (!TenantId.TryParse(result.GetValue(tenant), out var tenantId)) return CommonOptions.Fail($"'{result.GetValue(tenant)}' is not a tenant id (a UUID).");
        await using var store = LocalStore.Open(CommonOptions.Local(result, data));
        if (await store.TenantStore.GetAsync(tenantId, ct) is null) return CommonOptions.Fail($"no tenant '{tenantId}' in {store.Storage.Location}.");
        var caller = await store.Users.LocalCallerAsync(tenantId, Scopes.Read | Scopes.Write, "cli", ct);
        if (caller is null) return CommonOptions.Fail($"tenant '{tenantId}' has no active user; add one with `revops user create`.");
        return await work(store.Services.GetRequiredService<WorkQueueService>(), caller);
    }

    static void WriteJson(Action<Utf8JsonWriter> write)
    {
        using var stdout = Console.OpenStandardOutput();
        using (var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true })) write(writer);
        stdout.WriteByte((byte)'\n');
    }
}
