using System.Text.Json;
using RevOps.Domain.Automation;

namespace RevOps.Server.Automation;

/// <summary>The JSON of rules, runs and dry runs, the same for MCP, REST and the CLI.</summary>
public static class AutomationJson
{
    public static void WriteRule(Utf8JsonWriter w, AutomationRule rule)
    {
        w.WriteStartObject();
        w.WriteString("id", rule.Id);
        w.WriteString("name", rule.Name);
        w.WriteString("object", rule.Object);
        w.WriteBoolean("enabled", rule.Enabled);
        if (rule.Enabled && rule.NextFireAt is { } next) w.WriteString("nextFireAt", Time(next));
        w.WritePropertyName("rule");
        using (var document = JsonDocument.Parse(rule.Definition)) document.RootElement.WriteTo(w);
        w.WriteString("createdById", rule.CreatedBy);
        w.WriteString("createdAt", Time(rule.CreatedAt));
        w.WriteString("updatedAt", Time(rule.UpdatedAt));
        w.WriteEndObject();
    }

    public static void WriteRules(Utf8JsonWriter w, IReadOnlyList<AutomationRule> rules)
    {
        w.WriteStartObject();
        w.WriteNumber("count", rules.Count);
        w.WriteStartArray("rules");
        foreach (var rule in rules) WriteRule(w, rule);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void WriteRuns(Utf8JsonWriter w, IReadOnlyList<AutomationRun> runs)
    {
        w.WriteStartObject();
        w.WriteNumber("count", runs.Count);
        w.WriteStartArray("runs");
        foreach (var run in runs)
        {
            w.WriteStartObject();
            w.WriteString("id", run.Id);
            w.WriteString("ruleId", run.RuleId);
            w.WriteString("rule", run.RuleName);
            w.WriteString("object", run.Object);
            w.WriteString("recordId", run.RecordId);
            w.WriteNumber("seq", run.Seq);
            w.WriteString("operation", run.Operation);
            w.WriteNumber("depth", run.Depth);
            w.WriteString("status", run.Status);
            w.WriteNumber("attempts", run.Attempts);
            if (run.Error is not null) w.WriteString("error", run.Error);
            WriteActions(w, run.Result);
            w.WriteString("createdAt", Time(run.CreatedAt));
            if (run.FinishedAt is { } finished) w.WriteString("finishedAt", Time(finished));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void WriteTest(Utf8JsonWriter w, TestReport report)
    {
        w.WriteStartObject();
        w.WriteString("rule", report.Rule);
        w.WriteBoolean("dryRun", true);
        w.WriteNumber("changesRead", report.ChangesRead);
        w.WriteNumber("triggered", report.Runs.Count);
        w.WriteStartArray("runs");
        foreach (var run in report.Runs)
        {
            w.WriteStartObject();
            w.WriteNumber("seq", run.Seq);
            w.WriteString("recordId", run.RecordId);
            w.WriteString("operation", run.Operation);
            w.WriteString("status", run.Outcome.Status == AutomationRun.Statuses.Done ? "would_run" : run.Outcome.Status);
            if (run.Outcome.Error is not null) w.WriteString("error", run.Outcome.Error);
            WriteActions(w, run.Outcome.Result);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (report.NextFireAt is { } next) w.WriteString("nextFireAt", Time(next));
        w.WriteString("message", report.NextFireAt is null
            ? "Nothing was written. Enable or create the rule to run it on new changes."
            : "Nothing was written. This is what one fire would do now; enable or create the rule to run it on its schedule.");
        w.WriteEndObject();
    }

    static void WriteActions(Utf8JsonWriter w, string? result)
    {
        if (result is null) return;
        w.WritePropertyName("actions");
        using var document = JsonDocument.Parse(result);
        document.RootElement.WriteTo(w);
    }

    static string Time(DateTime time) => Domain.Records.ValueJson.FormatDateTime(time);
}
