using ModelContextProtocol.Protocol;
using RevOps.Domain.Errors;
using RevOps.Domain.Work;
using RevOps.Server.Mcp.Framework;
using RevOps.Server.Work;
using static RevOps.Server.Mcp.Framework.ToolDefinition;

namespace RevOps.Server.Mcp.Tools;

/// <summary>work_queue: the agents' shared work queue, one tool with actions to stay within the tool budget.</summary>
public sealed class WorkQueueTools(WorkQueueService work) : IToolArea
{
    public const string Name = "work_queue";
    static readonly string[] Actions = ["enqueue", "claim", "complete", "fail", "release", "list", "get"];

    public IEnumerable<CrmTool> Tools()
    {
        yield return Create(Name, "Work queue",
            "Agents' shared work items. claim leases the next item (queue?, type?) with its record; then complete/fail/release (id, lease, note). " +
            "enqueue (queue, prompt, record_id?, priority, due?), list (with counts), get. E.g. {\"action\":\"claim\",\"queue\":\"research\"}",
            new ToolSchema()
                .Param("action", "string", null, required: true, allowed: Actions)
                .Param("queue", "string", null)
                .Param("type", "string", null)
                .Param("prompt", "string", null)
                .Param("record_id", "string", null)
                .Param("priority", "string", null, allowed: WorkPriority.Names)
                .Param("due", "string", null)
                .Param("id", "string", null)
                .Param("lease", "string", null)
                .Param("note", "string", null)
                .Param("state", "string", null)
                .Param("lease_seconds", "integer", null)
                .Param("limit", "integer", null),
            async (caller, args, ct) =>
            {
                var action = args.String("action");
                if (action.Error is not null) return ToolResults.Error(action.Error);
                var text = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var name in (string[])["queue", "type", "prompt", "record_id", "priority", "due", "id", "lease", "note", "state"])
                {
                    var value = args.String(name);
                    if (value.Error is not null) return ToolResults.Error(value.Error);
                    text[name] = value.Value;
                }
                switch (action.Value)
                {
                    case "enqueue":
                    {
                        var queued = await work.EnqueueAsync(caller,
                            new WorkRequest(text["queue"], text["prompt"], text["record_id"], text["type"], text["priority"], text["due"]), ct);
                        return queued.IsOk ? ToolResults.FromJson(w => WorkJson.WriteItem(w, queued.Value.Item)) : ToolResults.Error(queued.Error!);
                    }
                    case "claim":
                    {
                        int? seconds = null;
                        if (args.Has("lease_seconds"))
                        {
                            var given = args.Int("lease_seconds", WorkQueueService.DefaultLeaseSeconds);
                            if (given.Error is not null) return ToolResults.Error(given.Error);
                            seconds = given.Value;
                        }
                        var claim = await work.ClaimAsync(caller, text["queue"], text["type"], seconds, ct);
                        return claim.IsOk ? ToolResults.FromJson(w => WorkJson.WriteClaim(w, claim.Value)) : ToolResults.Error(claim.Error!);
                    }
                    case "complete":
                    case "fail":
                    case "release":
                    {
                        var end = action.Value switch { "complete" => WorkEnd.Done, "fail" => WorkEnd.Failed, _ => WorkEnd.Released };
                        return One(await work.FinishAsync(caller, text["id"], text["lease"], end, text["note"], ct));
                    }
                    case "get":
                        return One(await work.GetAsync(caller, text["id"], ct));
                    case "list":
                    {
                        var limit = args.Int("limit", 50);
                        if (limit.Error is not null) return ToolResults.Error(limit.Error);
                        var listed = await work.ListAsync(caller, text["queue"], text["state"], limit.Value, ct);
                        return listed.IsOk ? ToolResults.FromJson(w => WorkJson.WriteList(w, listed.Value)) : ToolResults.Error(listed.Error!);
                    }
                    default:
                        return ToolResults.Error(new CrmError(ErrorCodes.InvalidArgument, $"{Name}: action '{action.Value}' is not one of {string.Join(", ", Actions)}.", "action"));
                }
            });
    }

    static CallToolResult One(CrmResult<WorkItem> result) =>
        result.IsOk ? ToolResults.FromJson(w => WorkJson.WriteItem(w, result.Value)) : ToolResults.Error(result.Error!);
}
