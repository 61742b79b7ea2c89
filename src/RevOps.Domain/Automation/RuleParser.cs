using System.Text.Json;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Schema;
using RevOps.Domain.Soql;

namespace RevOps.Domain.Automation;

/// <summary>
/// Reads a rule's JSON and checks it against the tenant's schema: every key known, the object and every
/// field real, the condition a WHERE expression the SOQL planner accepts, merge fields readable. Errors
/// name the place (e.g. actions[0].fields.Subjct) and say what to write instead.
/// </summary>
public static class RuleParser
{
    public const int MaxNameLength = 80;
    public const int MaxActions = 10;
    public const int MaxFieldsPerAction = 50;

    static readonly string[] RuleKeys = ["name", "object", "trigger", "condition", "actions", "description", "enabled"];
    static readonly string[] LaterTriggerKeys = [];
    const string Example = "{\"name\": \"Onboard won deals\", \"object\": \"Opportunity\", \"trigger\": {\"on\": \"field_changed\", \"fields\": [\"StageName\"]}, \"condition\": \"IsWon = true\", \"actions\": [{\"type\": \"create_record\", \"object\": \"Task\", \"fields\": {\"Subject\": \"Onboard {!Name}\", \"WhatId\": \"{!Id}\", \"OwnerId\": \"{!OwnerId}\"}}]}";

    public static CrmResult<RuleDefinition> Parse(JsonElement json, TenantSchema schema, DateOnly today)
    {
        if (json.ValueKind != JsonValueKind.Object) return Error("rule", $"a rule is a JSON object, like {Example}.");
        if (Unknown(json, RuleKeys, "rule") is { } unknown) return unknown;

        var name = Text(json, "name", required: true);
        if (!name.IsOk) return name.Error;
        if (name.Value!.Length > MaxNameLength) return Error("name", $"name has {name.Value.Length} characters; at most {MaxNameLength}.");
        var description = Text(json, "description", required: false);
        if (!description.IsOk) return description.Error;

        var objectName = Text(json, "object", required: true);
        if (!objectName.IsOk) return objectName.Error;
        var obj = OwnedObject(objectName.Value!, "object", schema);
        if (!obj.IsOk) return obj.Error;
        var objSchema = schema.For(obj.Value);

        var trigger = ParseTrigger(json, objSchema);
        if (!trigger.IsOk) return trigger.Error;

        var condition = Text(json, "condition", required: false);
        if (!condition.IsOk) return condition.Error;
        if (trigger.Value.Schedule is not null && condition.Value is { } scheduled && RuleCondition.FunctionFields(scheduled) is { IsOk: true, Value.Count: > 0 })
            return Error("condition", "a scheduled rule looks at records, not at a change: ISCHANGED and PRIORVALUE cannot be used; write a plain SOQL WHERE such as IsClosed = false AND LastActivityDate < LAST_N_DAYS:14.");
        if (condition.Value is { } c && CheckCondition(c, objSchema, schema, today) is { } conditionError) return conditionError;

        if (!json.TryGetProperty("actions", out var actionsJson) || actionsJson.ValueKind != JsonValueKind.Array || actionsJson.GetArrayLength() == 0)
            return Error("actions", "actions is required: a non-empty array such as [{\"type\": \"create_record\", \"object\": \"Task\", \"fields\": {\"Subject\": \"Call {!Name}\"}}].");
        if (actionsJson.GetArrayLength() > MaxActions) return Error("actions", $"a rule has at most {MaxActions} actions; {actionsJson.GetArrayLength()} were sent.");
        var actions = new List<RuleAction>();
        int index = 0;
        foreach (var item in actionsJson.EnumerateArray())
        {
            var action = ParseAction(item, $"actions[{index++}]", objSchema, schema);
            if (!action.IsOk) return action.Error;
            actions.Add(action.Value);
        }

        var rule = new RuleDefinition(name.Value!, obj.Value, trigger.Value, condition.Value, actions, description.Value);
        if (rule.MergePaths.Count > 0)
        {
            var planned = SoqlPlanner.Plan($"SELECT Id, {string.Join(", ", rule.MergePaths)} FROM {obj.Value.Name}", schema, today);
            if (!planned.IsOk) return Error("actions", $"a merge field does not name a field of {obj.Value.Name} or its parents: {planned.Error!.Message} Write {{!Field}} or {{!Account.Name}}.");
        }
        return rule;
    }

    /// <summary>Whether a rule's JSON asks to start disabled ("enabled": false).</summary>
    public static bool StartsEnabled(JsonElement json) =>
        !(json.ValueKind == JsonValueKind.Object && json.TryGetProperty("enabled", out var e) && e.ValueKind == JsonValueKind.False);

    static CrmResult<RuleTrigger> ParseTrigger(JsonElement json, ObjectSchema obj)
    {
        if (!json.TryGetProperty("trigger", out var trigger) || trigger.ValueKind != JsonValueKind.Object)
            return Error("trigger", "trigger is required: an object like {\"on\": \"created\"} or {\"on\": \"field_changed\", \"fields\": [\"StageName\"]}.");
        foreach (var p in trigger.EnumerateObject())
            if (LaterTriggerKeys.Contains(p.Name))
                return Error("trigger." + p.Name, $"trigger.{p.Name} is not available yet (relative-date triggers come later); use trigger.on with one of {string.Join(", ", RuleTrigger.All)}, or trigger.schedule.");
        if (trigger.TryGetProperty("relative_to", out var relative)) return ParseRelative(trigger, relative, obj);
        if (trigger.TryGetProperty("schedule", out var cron))
        {
            if (Unknown(trigger, ["schedule", "timezone"], "trigger") is { } notSchedule) return notSchedule;
            if (cron.ValueKind != JsonValueKind.String) return Error("trigger.schedule", "trigger.schedule must be a cron expression as a string, e.g. \"0 9 * * MON\".");
            var zone = Text(trigger, "timezone", required: false, path: "trigger.timezone");
            if (!zone.IsOk) return zone.Error;
            var schedule = RuleSchedule.Parse(cron.GetString()!, zone.Value);
            if (!schedule.IsOk) return schedule.Error;
            return new RuleTrigger(RuleTrigger.Scheduled, []) { Schedule = schedule.Value };
        }
        if (Unknown(trigger, ["on", "fields"], "trigger") is { } unknown) return unknown;
        var on = Text(trigger, "on", required: true, path: "trigger.on");
        if (!on.IsOk) return on.Error;
        if (!RuleTrigger.All.Contains(on.Value!))
            return Error("trigger.on", $"trigger.on must be one of {string.Join(", ", RuleTrigger.All)}; got '{Cut(on.Value!)}'.");
        var fields = new List<string>();
        if (trigger.TryGetProperty("fields", out var fieldsJson) && fieldsJson.ValueKind != JsonValueKind.Null)
        {
            if (on.Value != RuleTrigger.FieldChanged) return Error("trigger.fields", "trigger.fields goes only with \"on\": \"field_changed\".");
            if (fieldsJson.ValueKind != JsonValueKind.Array) return Error("trigger.fields", "trigger.fields must be an array of field names, e.g. [\"StageName\"].");
            foreach (var f in fieldsJson.EnumerateArray())
            {
                if (f.ValueKind != JsonValueKind.String || !obj.TryGetField(f.GetString()!, out var field))
                    return Error("trigger.fields", $"trigger.fields: {Cut(f.ToString())} is not a field of {obj.Object.Name}. describe_object lists its fields.");
                fields.Add(field.Name);
            }
        }
        if (on.Value == RuleTrigger.FieldChanged && fields.Count == 0)
            return Error("trigger.fields", "\"on\": \"field_changed\" needs fields, e.g. {\"on\": \"field_changed\", \"fields\": [\"StageName\"]}.");
        return new RuleTrigger(on.Value!, fields);
    }

    /// <summary>{"relative_to": "CloseDate", "offset_days": -7, "at": "08:00", "timezone": "Europe/Berlin"}: a daily fire at "at" (default 08:00).</summary>
    static CrmResult<RuleTrigger> ParseRelative(JsonElement trigger, JsonElement relative, ObjectSchema obj)
    {
        const string Example = "{\"relative_to\": \"CloseDate\", \"offset_days\": -7, \"at\": \"08:00\", \"timezone\": \"Europe/Berlin\"}";
        if (Unknown(trigger, ["relative_to", "offset_days", "at", "timezone"], "trigger") is { } unknown) return unknown;
        if (relative.ValueKind != JsonValueKind.String || !obj.TryGetField(relative.GetString()!, out var field) || field.Type is not (FieldType.Date or FieldType.DateTime))
            return Error("trigger.relative_to", $"trigger.relative_to must name a Date or DateTime field of {obj.Object.Name} (e.g. CloseDate, CreatedDate); got {Cut(relative.ToString())}. E.g. {Example}.");
        if (!trigger.TryGetProperty("offset_days", out var offset) || offset.ValueKind != JsonValueKind.Number || !offset.TryGetInt32(out int days) || days is < -365 or > 365)
            return Error("trigger.offset_days", $"trigger.offset_days is required: a whole number of days from -365 to 365 (-7 is a week before the date). E.g. {Example}.");
        var at = Text(trigger, "at", required: false, path: "trigger.at");
        if (!at.IsOk) return at.Error;
        if (!TimeOnly.TryParseExact(at.Value ?? "08:00", "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var time))
            return Error("trigger.at", $"trigger.at is the time of day the rule acts, as HH:mm (e.g. \"08:00\"); got '{Cut(at.Value!)}'.");
        var zone = Text(trigger, "timezone", required: false, path: "trigger.timezone");
        if (!zone.IsOk) return zone.Error;
        var schedule = RuleSchedule.Parse($"{time.Minute} {time.Hour} * * *", zone.Value);
        if (!schedule.IsOk) return schedule.Error;
        return new RuleTrigger(RuleTrigger.Scheduled, []) { Schedule = schedule.Value, RelativeTo = field, OffsetDays = days };
    }

    static CrmError? CheckCondition(string condition, ObjectSchema obj, TenantSchema schema, DateOnly today)
    {
        var named = RuleCondition.FunctionFields(condition);
        if (!named.IsOk) return named.Error;
        foreach (var field in named.Value)
            if (!obj.TryGetField(field, out _))
                return Error("condition", $"condition: {field} in ISCHANGED/PRIORVALUE is not a field of {obj.Object.Name}.");
        var resolved = RuleCondition.Resolve(condition, new NothingChanged());
        if (!resolved.IsOk) return resolved.Error;
        var planned = SoqlPlanner.Plan($"SELECT Id FROM {obj.Object.Name} WHERE ({resolved.Value})", schema, today);
        return planned.IsOk ? null
            : Error("condition", $"condition is not a SOQL WHERE expression over {obj.Object.Name}: {planned.Error!.Message} E.g. IsWon = true AND ISCHANGED(StageName).");
    }

    static CrmResult<RuleAction> ParseAction(JsonElement item, string path, ObjectSchema ruleObject, TenantSchema schema)
    {
        if (item.ValueKind != JsonValueKind.Object) return Error(path, $"{path} must be an object like {{\"type\": \"update_fields\", \"fields\": {{\"Description\": \"…\"}}}}.");
        var type = Text(item, "type", required: true, path: path + ".type");
        if (!type.IsOk) return type.Error;
        switch (type.Value)
        {
            case RuleAction.CreateRecord:
            {
                if (Unknown(item, ["type", "object", "fields"], path) is { } unknown) return unknown;
                var objName = Text(item, "object", required: true, path: path + ".object");
                if (!objName.IsOk) return objName.Error;
                var target = OwnedObject(objName.Value!, path + ".object", schema);
                if (!target.IsOk) return target.Error;
                var fields = Fields(item, path, schema.For(target.Value));
                if (!fields.IsOk) return fields.Error;
                return new RuleAction(type.Value, target.Value, fields.Value, null, []);
            }
            case RuleAction.UpdateFields:
            {
                if (Unknown(item, ["type", "fields", "parent"], path) is { } unknown) return unknown;
                var parent = Text(item, "parent", required: false, path: path + ".parent");
                if (!parent.IsOk) return parent.Error;
                var targetSchema = ruleObject;
                string? parentField = null;
                if (parent.Value is { } p)
                {
                    if (!ruleObject.TryGetField(p, out var reference) || reference.ReferenceTo.Count != 1 || OwnedObject(reference.ReferenceTo[0], path, schema) is not { IsOk: true, Value: var parentObj })
                        return Error(path + ".parent", $"{path}.parent must be a lookup field of {ruleObject.Object.Name} to one object, e.g. \"AccountId\"; got '{Cut(p)}'.");
                    targetSchema = schema.For(parentObj);
                    parentField = reference.Name;
                }
                var fields = Fields(item, path, targetSchema);
                if (!fields.IsOk) return fields.Error;
                return new RuleAction(type.Value, targetSchema.Object, fields.Value, parentField, []);
            }
            case RuleAction.AssignOwner:
            {
                if (Unknown(item, ["type", "user", "users"], path) is { } unknown) return unknown;
                var users = new List<string>();
                if (item.TryGetProperty("user", out var one) && one.ValueKind == JsonValueKind.String) users.Add(one.GetString()!);
                if (item.TryGetProperty("users", out var many) && many.ValueKind == JsonValueKind.Array)
                    foreach (var u in many.EnumerateArray())
                        users.Add(u.ValueKind == JsonValueKind.String ? u.GetString()! : u.ToString());
                if (users.Count is 0 or > 50)
                    return Error(path, $"{path}: assign_owner takes \"user\": \"005…\" (always that user) or \"users\": [\"005…\", \"005…\"] (in turn), 1 to 50 users.");
                foreach (var u in users)
                    if (!Ids.SalesforceId.TryNormalize(u, out var id) || !id.StartsWith("005", StringComparison.Ordinal))
                        return Error(path, $"{path}: '{Cut(u)}' is not a User Id (005…). Find users with find_records on User.");
                return new RuleAction(type.Value, null, [], null, users.Select(u => { Ids.SalesforceId.TryNormalize(u, out var id); return id; }).ToList());
            }
            case RuleAction.Webhook:
            {
                if (Unknown(item, ["type", "webhook_id", "fields"], path) is { } unknown) return unknown;
                var webhook = Text(item, "webhook_id", required: true, path: path + ".webhook_id");
                if (!webhook.IsOk) return webhook.Error;
                var data = new List<KeyValuePair<string, JsonElement>>();
                if (item.TryGetProperty("fields", out var fields) && fields.ValueKind != JsonValueKind.Null)
                {
                    if (fields.ValueKind != JsonValueKind.Object)
                        return Error(path + ".fields", $"{path}.fields is what the event carries: an object of names to values with merge fields, e.g. {{\"deal\": \"{{!Name}}\", \"amount\": \"{{!Amount}}\"}}.");
                    foreach (var p in fields.EnumerateObject())
                    {
                        if (p.Name.Length is 0 or > 80) return Error(path + ".fields", $"{path}.fields: names are 1 to 80 characters.");
                        if (MergeFields.Problem(p.Value) is { } problem) return Error($"{path}.fields.{p.Name}", $"{path}.fields.{Cut(p.Name)}: {problem}");
                        data.Add(new(p.Name, p.Value.Clone()));
                    }
                    if (data.Count > MaxFieldsPerAction) return Error(path + ".fields", $"{path}.fields holds at most {MaxFieldsPerAction} values.");
                }
                return new RuleAction(type.Value, null, data, null, []) { WebhookId = webhook.Value!.Trim() };
            }
            case RuleAction.EnqueueWork:
                return ParseEnqueueWork(item, path);
            default:
                return Error(path + ".type", $"{path}.type must be one of {string.Join(", ", RuleAction.Available)}; got '{Cut(type.Value!)}'.");
        }
    }

    /// <summary>{"type": "enqueue_work", "queue": "research", "prompt": "Research {!Company}", "priority": "high", "due": "{!TODAY+2}", "work_type": "research"}.</summary>
    static CrmResult<RuleAction> ParseEnqueueWork(JsonElement item, string path)
    {
        const string Example = "{\"type\": \"enqueue_work\", \"queue\": \"research\", \"prompt\": \"Research {!Company}\", \"priority\": \"high\", \"due\": \"{!TODAY+2}\"}";
        if (Unknown(item, ["type", "queue", "prompt", "priority", "due", "work_type"], path) is { } unknown) return unknown;
        var queue = Text(item, "queue", required: true, path: path + ".queue");
        if (!queue.IsOk) return queue.Error;
        if (!Work.WorkQueueService.IsName(queue.Value!)) return Error(path + ".queue", $"{path}.queue '{Cut(queue.Value!)}' is not a queue name: {Work.WorkQueueService.NameRule}. E.g. {Example}.");
        var workType = Text(item, "work_type", required: false, path: path + ".work_type");
        if (!workType.IsOk) return workType.Error;
        if (workType.Value is { } wt && !Work.WorkQueueService.IsName(wt)) return Error(path + ".work_type", $"{path}.work_type '{Cut(wt)}' is not a name: {Work.WorkQueueService.NameRule}.");
        var priority = Text(item, "priority", required: false, path: path + ".priority");
        if (!priority.IsOk) return priority.Error;
        if (!Work.WorkPriority.TryParse(priority.Value, out _))
            return Error(path + ".priority", $"{path}.priority must be one of {string.Join(", ", Work.WorkPriority.Names)}; got '{Cut(priority.Value!)}'.");
        if (!item.TryGetProperty("prompt", out var prompt) || prompt.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(prompt.GetString()))
            return Error(path + ".prompt", $"{path}.prompt is required: what the agent should do, with merge fields. E.g. {Example}.");
        if (prompt.GetString()!.Length > Work.WorkQueueService.MaxPromptLength)
            return Error(path + ".prompt", $"{path}.prompt has {prompt.GetString()!.Length} characters; at most {Work.WorkQueueService.MaxPromptLength}.");
        if (MergeFields.Problem(prompt) is { } promptProblem) return Error(path + ".prompt", $"{path}.prompt: {promptProblem}");
        var fields = new List<KeyValuePair<string, JsonElement>> { new("prompt", prompt.Clone()) };
        if (item.TryGetProperty("due", out var due) && due.ValueKind != JsonValueKind.Null)
        {
            if (due.ValueKind != JsonValueKind.String) return Error(path + ".due", $"{path}.due is a date: \"{{!TODAY+2}}\", a date field such as \"{{!CloseDate}}\", or \"2026-12-24\".");
            if (MergeFields.Problem(due) is { } dueProblem) return Error(path + ".due", $"{path}.due: {dueProblem}");
            if (!due.GetString()!.Contains("{!", StringComparison.Ordinal) && Work.WorkQueueService.DueProblem(due.GetString()) is { } literal)
                return Error(path + ".due", $"{path}.due: {literal}");
            fields.Add(new("due", due.Clone()));
        }
        return new RuleAction(RuleAction.EnqueueWork, null, fields, null, [])
        {
            Queue = queue.Value, WorkType = workType.Value, Priority = priority.Value,
        };
    }

    static CrmResult<IReadOnlyList<KeyValuePair<string, JsonElement>>> Fields(JsonElement item, string path, ObjectSchema target)
    {
        if (!item.TryGetProperty("fields", out var fields) || fields.ValueKind != JsonValueKind.Object || !fields.EnumerateObject().Any())
            return Error(path + ".fields", $"{path}.fields is required: an object of {target.Object.Name} fields to values, e.g. {{\"Subject\": \"Follow up {{!Name}}\"}}.");
        var list = new List<KeyValuePair<string, JsonElement>>();
        foreach (var p in fields.EnumerateObject())
        {
            if (!target.TryGetField(p.Name, out var field))
                return Error($"{path}.fields.{p.Name}", $"{path}.fields: {Cut(p.Name)} is not a field of {target.Object.Name}. describe_object lists its fields.");
            if (MergeFields.Problem(p.Value) is { } problem) return Error($"{path}.fields.{p.Name}", $"{path}.fields.{field.Name}: {problem}");
            list.Add(new(field.Name, p.Value.Clone()));
        }
        if (list.Count > MaxFieldsPerAction) return Error(path + ".fields", $"{path}.fields sets at most {MaxFieldsPerAction} fields.");
        return list;
    }

    /// <summary>An object with owners that rules can watch and write: the standard ones and the tenant's custom objects.</summary>
    static CrmResult<ObjectMetadata> OwnedObject(string name, string path, TenantSchema schema) =>
        StandardObjects.TryGet(name, out var obj) ? StandardObjects.Owned.Contains(obj) ? obj : Error(path, NotRuleObject(name, path, schema))
            : schema.TryGetObject(name, out var custom) && custom.IsCustom ? custom
            : Error(path, NotRuleObject(name, path, schema));

    static string NotRuleObject(string name, string path, TenantSchema schema) =>
        $"{path}: '{Cut(name)}' is not an object rules can use; use one of {string.Join(", ", StandardObjects.Owned.Concat(schema.CustomObjects).Select(o => o.Name))}.";

    static CrmResult<string?> Text(JsonElement json, string key, bool required, string? path = null)
    {
        path ??= key;
        if (!json.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
            return required ? Error(path, $"{path} is required. A rule looks like {Example}.") : CrmResult<string?>.Ok(null);
        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
            return Error(path, $"{path} must be a non-empty string.");
        return value.GetString()!.Trim();
    }

    static CrmError? Unknown(JsonElement json, string[] allowed, string path)
    {
        foreach (var p in json.EnumerateObject())
            if (!allowed.Contains(p.Name))
                return Error(path, $"{path}: unknown key '{Cut(p.Name)}'. Allowed: {string.Join(", ", allowed)}.");
        return null;
    }

    static string Cut(string text) => text.Length > 40 ? text[..40] + "…" : text;

    static CrmError Error(string field, string message) => new(ErrorCodes.InvalidArgument, message, field);

    /// <summary>For checking: every field is then left to SOQL, which knows the fields and their types.</summary>
    sealed class NothingChanged : RuleCondition.IChange
    {
        public bool Changed(string field) => false;
        public JsonElement Before(string field) => default;
        public JsonElement After(string field) => default;
    }
}
