using RevOps.Domain;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Schema;
using static RevOps.Server.Mcp.Framework.ToolDefinition;
using RevOps.Server.Mcp.Framework;

namespace RevOps.Server.Mcp.Tools;

public sealed class TaskTools(RecordService records, SchemaService schemas) : IToolArea
{
    static readonly ObjectMetadata Task = StandardObjects.Task;

    static readonly string[] Writable = ["Subject", "WhoId", "WhatId", "Status", "Priority", "Type", "TaskSubtype", "ActivityDate", "Description", "OwnerId"];

    public IEnumerable<CrmTool> Tools()
    {
        yield return RecordTools.CreateTool(records, Task, "create_task", "Create task",
            "Create a follow-up task. Subject is required; WhoId links a contact (003…) or lead (00Q…), WhatId an account (001…) or opportunity (006…). Status defaults to Not Started, Priority to Normal.",
            Writable, required: ["Subject"]);

        yield return Read("get_tasks", "List tasks",
            "List tasks, optionally only those with a given status, earliest due date first.",
            SearchBuilder.PagingParams(SearchBuilder.OwnerParam(new ToolSchema())
                .Field(Task, "Status", description: "Only tasks with this status.", argument: "status")),
            async (caller, args, ct) =>
            {
                var query = new SearchBuilder(Task, "get_tasks", args, orderBy: "ActivityDate");
                query.Exact("status", "Status");
                query.Owner();
                return await query.RunAsync(records, await schemas.GetAsync(caller.Tenant, Task, ct), caller, ct);
            }, OutputSchemas.Page(Task));
    }
}
