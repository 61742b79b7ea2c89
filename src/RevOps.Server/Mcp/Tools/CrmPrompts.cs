using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using RevOps.Domain;
using RevOps.Domain.Ids;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Server.Json;

namespace RevOps.Server.Mcp.Tools;

/// <summary>
/// Prompts for common CRM work (account_review, pipeline_review, log_call) that tell the model
/// which tools to call in which order, with completions for account and contact names, object
/// names and picklist values.
/// </summary>
public static class CrmPrompts
{
    sealed record PromptSpec(Prompt Prompt, Func<IReadOnlyDictionary<string, string>, string> Text);

    static readonly PromptSpec[] Prompts =
    [
        new(new Prompt
        {
            Name = "account_review", Title = "Review an account",
            Description = "Everything about one account: its people, open deals, recent activity, risks and next steps.",
            Arguments = [new PromptArgument { Name = "account", Description = "Account name or Id (001…).", Required = true }],
        }, a => $"""
            Review the account "{a["account"]}".
            1. Find it: get_record if that is an Id (001…), otherwise search_accounts with name.
            2. Its people: search_contacts with accountId. Its deals: search_opportunities with accountId.
            3. pipeline_summary with accountId for open pipeline, weighted amount and won/lost this quarter.
            4. Open follow-ups: find_records object Task where WhatId = the account Id and IsClosed = false, order_by ActivityDate.
            Then write a short review: who matters, deals by stage with amounts and close dates, overdue tasks, risks, and the three next steps.
            """),
        new(new Prompt
        {
            Name = "pipeline_review", Title = "Review the pipeline",
            Description = "Open pipeline by stage and close month, deals at risk, and what to do about them.",
            Arguments =
            [
                new PromptArgument { Name = "from", Description = "Period start, YYYY-MM-DD (default: this quarter)." },
                new PromptArgument { Name = "to", Description = "Period end, YYYY-MM-DD." },
            ],
        }, a => $"""
            Review the sales pipeline{(a.TryGetValue("from", out var from) ? $" from {from}" : "")}{(a.TryGetValue("to", out var to) ? $" to {to}" : "")}.
            1. pipeline_summary{(a.ContainsKey("from") ? " with the same from/to" : "")}: open pipeline by stage and close month, won and lost.
            2. Deals at risk: soql_query "SELECT Id, Name, Account.Name, StageName, Amount, CloseDate, NextStep FROM Opportunity WHERE IsClosed = false AND (CloseDate < TODAY OR NextStep = null) ORDER BY Amount DESC LIMIT 20".
            Then summarise the pipeline in five lines and list each at-risk deal with the one action that would move it.
            """),
        new(new Prompt
        {
            Name = "log_call", Title = "Log a call",
            Description = "Record a call with a contact as a completed Task linked to them and their account.",
            Arguments =
            [
                new PromptArgument { Name = "contact", Description = "Contact name or Id (003…).", Required = true },
                new PromptArgument { Name = "summary", Description = "What was said and agreed.", Required = true },
                new PromptArgument { Name = "status", Description = "Task status (default Completed)." },
            ],
        }, a => $"""
            Log a call with "{a["contact"]}".
            1. Find the contact: get_contact if that is an Id (003…), otherwise search_contacts with name (ask which one if several match).
            2. create_task with Subject "Call with <contact name>", WhoId = the contact Id, WhatId = their AccountId, Type "Call",
               Status "{(a.TryGetValue("status", out var status) ? status : "Completed")}", ActivityDate today, Description:
               {a["summary"]}
            3. If the call agreed a follow-up, create a second task for it with its due date.
            """),
    ];

    public static IMcpServerBuilder WithCrmPrompts(this IMcpServerBuilder builder) => builder
        .WithListPromptsHandler((request, ct) => ValueTask.FromResult(new ListPromptsResult { Prompts = Prompts.Select(p => p.Prompt).ToList() }))
        .WithGetPromptHandler(async (request, ct) =>
        {
            var spec = Prompts.FirstOrDefault(p => p.Prompt.Name == request.Params?.Name)
                ?? throw new McpProtocolException($"No prompt '{request.Params?.Name}'. Prompts: {string.Join(", ", Prompts.Select(p => p.Prompt.Name))}.", McpErrorCode.InvalidParams);
            var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, value) in request.Params?.Arguments ?? new Dictionary<string, System.Text.Json.JsonElement>())
                if (value.ValueKind == System.Text.Json.JsonValueKind.String && value.GetString() is { Length: > 0 } text) arguments[name] = text;
            foreach (var argument in spec.Prompt.Arguments ?? [])
                if (argument.Required == true && !arguments.ContainsKey(argument.Name))
                    throw new McpProtocolException($"{spec.Prompt.Name} needs the argument '{argument.Name}': {argument.Description}", McpErrorCode.InvalidParams);

            var messages = new List<PromptMessage> { new() { Role = Role.User, Content = new TextContentBlock { Text = spec.Text(arguments) } } };
            // When the argument is the Id of a record of the caller's, attach it so the model starts with the facts.
            foreach (var value in arguments.Values)
                if (SalesforceId.TryNormalize(value, out var id) && RecordService.ObjectOfId(id) is { IsOk: true } obj)
                {
                    var record = await request.Services!.GetRequiredService<RecordService>().GetAsync(CrmResources.CallerOf(request), obj.Value, id, ct);
                    if (record.IsOk)
                        messages.Add(new PromptMessage
                        {
                            Role = Role.User,
                            Content = new EmbeddedResourceBlock
                            {
                                Resource = new TextResourceContents
                                {
                                    Uri = $"{CrmResources.Scheme}{obj.Value.Name}/{id}", MimeType = "application/json",
                                    Text = RecordJson.Build(w => RecordJson.WriteCompact(w, record.Value)).Text,
                                },
                            },
                        });
                }
            return new GetPromptResult { Description = spec.Prompt.Description, Messages = messages };
        })
        .WithCompleteHandler(async (request, ct) =>
        {
            string argument = request.Params?.Argument.Name ?? "";
            string prefix = request.Params?.Argument.Value ?? "";
            IEnumerable<string> values = argument switch
            {
                "object" => StandardObjects.All.Select(o => o.Name),
                "status" => Picklists.TaskStatus,
                "account" => await NamesAsync(request, StandardObjects.Account, prefix, ct),
                "contact" => await NamesAsync(request, StandardObjects.Contact, prefix, ct),
                _ => [],
            };
            var matches = values.Where(v => v.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).Distinct().Take(100).ToList();
            return new CompleteResult { Completion = new Completion { Values = matches, Total = matches.Count, HasMore = false } };
        });

    static async Task<IEnumerable<string>> NamesAsync(RequestContext<CompleteRequestParams> request, ObjectMetadata obj, string prefix, CancellationToken ct)
    {
        var name = obj.Field("Name");
        IReadOnlyList<IReadOnlyList<Condition>> filter = prefix.Length == 0 ? [] : [[new Condition(name, ConditionOp.StartsWith, prefix)]];
        var page = await request.Services!.GetRequiredService<RecordService>().QueryAsync(CrmResources.CallerOf(request), obj, new RecordQuery(filter, name, Descending: false, Limit: 20), ct);
        return page.IsOk ? page.Value.Records.Select(r => r.DisplayName ?? r.Id) : [];
    }
}
