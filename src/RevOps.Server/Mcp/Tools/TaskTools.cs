using ModelContextProtocol.Protocol;
using RevOps.Domain;
using RevOps.Domain.Errors;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Writes;
using RevOps.Server.Json;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Schema;
using static RevOps.Server.Mcp.Framework.ToolDefinition;
using RevOps.Server.Mcp.Framework;

namespace RevOps.Server.Mcp.Tools;

public sealed class TaskTools(RecordService records, SchemaService schemas, RecordBatch batch) : IToolArea
{
    static readonly ObjectMetadata Task = StandardObjects.Task;

    /// <summary>The fields agents set most; the schema lists these, and every other Task field is accepted as well.</summary>
    static readonly string[] Writable = ["Subject", "WhoId", "WhatId", "Status", "Priority", "Type", "ActivityDate", "Description", "OwnerId"];

    public IEnumerable<CrmTool> Tools()
    {
        yield return Create("create_task", "Create task",
            "Create a task about a person (WhoId) and/or an account or deal (WhatId); with follow_up, log it Completed and plan the next one in one call. " +
            "E.g. {\"Subject\":\"Call\",\"WhoId\":\"003…\",\"Type\":\"Call\",\"follow_up\":{\"Subject\":\"Send proposal\",\"ActivityDate\":\"2026-12-12\"}}",
            new ToolSchema().Fields(Task, Writable, ["Subject"]).CustomFields(Task)
                .Param(FollowUp, "object", "The next task: Subject, ActivityDate, OwnerId.")
                .WriteOptions(duplicates: false),
            CreateAsync, customFieldsOf: Task);

        yield return Read("get_tasks", "List tasks",
            "List tasks, earliest due date first, e.g. {\"status\":\"Not Started\",\"ownerId\":\"me\"}.",
            SearchBuilder.PagingParams(SearchBuilder.OwnerParam(new ToolSchema())
                .Field(Task, "Status", description: null, argument: "status")),
            async (caller, args, ct) =>
            {
                var query = new SearchBuilder(Task, "get_tasks", args, orderBy: "ActivityDate");
                query.Exact("status", "Status");
                query.Owner();
                return await query.RunAsync(records, await schemas.GetAsync(caller.Tenant, Task, ct), caller, ct);
            });
    }

    const string FollowUp = "follow_up";

    async ValueTask<CallToolResult> CreateAsync(Caller caller, ToolArguments args, CancellationToken ct)
    {
        var options = WriteArguments.Read(args);
        if (!options.IsOk) return ToolResults.Error(options.Error);
        var input = args.RecordFields([FollowUp, .. WriteArguments.Names]);
        if (!input.IsOk) return ToolResults.Error(input.Error);
        var followUp = args.Object(FollowUp);
        if (!followUp.IsOk) return ToolResults.Error(followUp.Error);
        if (followUp.Value is not { } next) return ToolResults.FromOutcome(await records.CreateAsync(caller, Task, input.Value, options.Value, ct));

        if (options.Value.DryRun || options.Value.IdempotencyKey is not null)
            return ToolResults.Error(new CrmError(ErrorCodes.InvalidArgument,
                "follow_up writes two tasks in one transaction and takes neither dry_run nor idempotency_key. Send it without them.", FollowUp));
        var pair = FollowUpTasks.Build(input.Value, next);
        if (!pair.IsOk) return ToolResults.Error(pair.Error);
        var results = await batch.ApplyAsync(caller, [new BatchItem(BatchOperation.Create, Task, null, pair.Value.Done), new BatchItem(BatchOperation.Create, Task, null, pair.Value.Next)],
            allOrNone: true, ct);
        if (results[0].Error is { } error && error.Code != ErrorCodes.AllOrNoneRolledBack) return ToolResults.Error(error);
        if (results[1].Error is { } nextError)
            return ToolResults.Error(nextError with { Message = $"{FollowUp}: {nextError.Message} Neither task was created.", Field = FollowUp });

        var done = await records.GetAsync(caller, Task, results[0].Id, ct);
        var created = await records.GetAsync(caller, Task, results[1].Id, ct);
        if (!done.IsOk) return ToolResults.Error(done.Error);
        if (!created.IsOk) return ToolResults.Error(created.Error);
        return ToolResults.FromJson(w =>
        {
            w.WriteStartObject();
            RecordJson.WriteFields(w, done.Value);
            w.WriteStartObject("followUp");
            foreach (var field in new[] { "Id", "Subject", "Status", "ActivityDate", "OwnerId" })
            {
                if (created.Value[field] is not { } value) continue;
                w.WritePropertyName(field);
                ValueJson.Write(w, value);
            }
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }
}
