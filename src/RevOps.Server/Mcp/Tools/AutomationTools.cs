using System.Text.Json;
using ModelContextProtocol.Protocol;
using RevOps.Domain.Automation;
using RevOps.Domain.Errors;
using RevOps.Server.Automation;
using RevOps.Server.Mcp.Framework;
using static RevOps.Server.Mcp.Framework.ToolDefinition;

namespace RevOps.Server.Mcp.Tools;

/// <summary>manage_automation: rules that act on record changes, their dry runs and their execution log (admin scope to change them).</summary>
public sealed class AutomationTools(AutomationService automation) : IToolArea
{
    public const string Name = "manage_automation";
    static readonly string[] Actions = ["create", "list", "get", "update", "enable", "disable", "delete", "test", "runs"];

    public IEnumerable<CrmTool> Tools()
    {
        yield return Destructive(Name, "Manage automation rules",
            "Rules run on record changes (once each, within seconds) or on a schedule (admin key). create/test (rule), update (rule_id, rule), get/enable/disable/delete (rule_id), list, runs (log). " +
            "test is a dry run over the last changes. Actions: create_record, update_fields (parent: AccountId), assign_owner (user or users), webhook (webhook_id, fields). Merge fields {!Name} {!Account.Name} {!TODAY+3}. " +
            "E.g. rule={\"name\":\"Won\",\"object\":\"Opportunity\",\"trigger\":{\"on\":\"field_changed\",\"fields\":[\"StageName\"]},\"condition\":\"IsWon = true\"," +
            "\"actions\":[{\"type\":\"create_record\",\"object\":\"Task\",\"fields\":{\"Subject\":\"Onboard {!Name}\",\"WhatId\":\"{!Id}\",\"OwnerId\":\"{!OwnerId}\"}}]}",
            new ToolSchema()
                .Param("action", "string", null, required: true, allowed: Actions)
                .Param("rule", "object", "trigger.on: created, updated, created_or_updated, deleted, field_changed; or trigger.schedule (cron) and timezone; or relative_to (date field) and offset_days. condition: SOQL WHERE, ISCHANGED(F), PRIORVALUE(F).")
                .Param("rule_id", "string", null)
                .Param("status", "string", null, allowed: AutomationRun.Statuses.All)
                .Param("limit", "integer", "runs: entries; test: recent changes.", minimum: 1, maximum: AutomationService.MaxRunsPage),
            async (caller, args, ct) =>
            {
                var action = args.String("action");
                if (action.Error is not null) return ToolResults.Error(action.Error);
                var id = args.String("rule_id");
                if (id.Error is not null) return ToolResults.Error(id.Error);
                switch (action.Value)
                {
                    case "create":
                    {
                        var rule = Rule(args, required: true);
                        if (!rule.IsOk) return ToolResults.Error(rule.Error!);
                        return One(await automation.CreateAsync(caller, rule.Value!.Value, ct));
                    }
                    case "update":
                    {
                        var rule = Rule(args, required: true);
                        if (!rule.IsOk) return ToolResults.Error(rule.Error!);
                        return One(await automation.UpdateAsync(caller, id.Value, rule.Value!.Value, ct));
                    }
                    case "list":
                        var listed = await automation.ListAsync(caller, ct);
                        return listed.IsOk ? ToolResults.FromJson(w => AutomationJson.WriteRules(w, listed.Value)) : ToolResults.Error(listed.Error);
                    case "get":
                        return One(await automation.GetAsync(caller, id.Value, ct));
                    case "enable":
                    case "disable":
                        return One(await automation.SetEnabledAsync(caller, id.Value, action.Value == "enable", ct));
                    case "delete":
                        var deleted = await automation.DeleteAsync(caller, id.Value, ct);
                        return deleted.IsOk ? ToolResults.FromJson(w =>
                        {
                            w.WriteStartObject();
                            w.WriteString("deleted", deleted.Value);
                            w.WriteString("message", "The rule is gone and runs no more; its runs stay in the log (action=runs).");
                            w.WriteEndObject();
                        }) : ToolResults.Error(deleted.Error);
                    case "test":
                    {
                        var rule = Rule(args, required: false);
                        var limit = args.Int("limit", 10);
                        if (!rule.IsOk) return ToolResults.Error(rule.Error!);
                        if (limit.Error is not null) return ToolResults.Error(limit.Error);
                        if (rule.Value is null && id.Value is null)
                            return ToolResults.Error(new CrmError(ErrorCodes.RequiredFieldMissing, $"{Name}: test needs rule (a rule to try) or rule_id (a stored one).", "rule"));
                        var report = await automation.TestAsync(caller, id.Value, rule.Value, limit.Value, ct);
                        return report.IsOk ? ToolResults.FromJson(w => AutomationJson.WriteTest(w, report.Value)) : ToolResults.Error(report.Error);
                    }
                    case "runs":
                    {
                        var status = args.String("status");
                        var limit = args.Int("limit", 50);
                        if (status.Error is not null) return ToolResults.Error(status.Error);
                        if (limit.Error is not null) return ToolResults.Error(limit.Error);
                        var runs = await automation.RunsAsync(caller, id.Value, status.Value, limit.Value, ct);
                        return runs.IsOk ? ToolResults.FromJson(w => AutomationJson.WriteRuns(w, runs.Value)) : ToolResults.Error(runs.Error);
                    }
                    default:
                        return ToolResults.Error(new CrmError(ErrorCodes.InvalidArgument, $"{Name}: action '{action.Value}' is not one of {string.Join(", ", Actions)}.", "action"));
                }
            });
    }

    static CallToolResult One(CrmResult<AutomationRule> result) =>
        result.IsOk ? ToolResults.FromJson(w => AutomationJson.WriteRule(w, result.Value)) : ToolResults.Error(result.Error!);

    /// <summary>The rule argument: an object, or the same object sent as a JSON string (some clients stringify nested objects).</summary>
    static CrmResult<JsonElement?> Rule(ToolArguments args, bool required)
    {
        var asText = args.String("rule");
        if (asText.IsOk && asText.Value is { } text)
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                return document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                return new CrmError(ErrorCodes.InvalidArgument, $"{Name}: rule is not valid JSON ({e.Message}). Send it as an object like {{\"name\": …, \"object\": …, \"trigger\": …, \"actions\": […]}}.", "rule");
            }
        }
        var rule = args.Object("rule");
        if (!rule.IsOk) return rule;
        if (rule.Value is null && required)
            return new CrmError(ErrorCodes.RequiredFieldMissing, $"{Name}: rule is required, e.g. {{\"name\": \"Won\", \"object\": \"Opportunity\", \"trigger\": {{\"on\": \"updated\"}}, \"actions\": […]}}.", "rule");
        return rule;
    }
}
