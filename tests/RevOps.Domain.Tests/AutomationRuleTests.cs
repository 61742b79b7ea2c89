using System.Text.Json;
using RevOps.Domain.Automation;
using RevOps.Domain.Schema;

namespace RevOps.Domain.Tests;

/// <summary>Rule conditions and merge fields without I/O: what the change answers, what is left to SOQL, what is refused.</summary>
public sealed class AutomationRuleTests
{
    static readonly DateOnly Today = new(2026, 5, 14);

    sealed class Change(string json) : RuleCondition.IChange
    {
        readonly JsonElement _root = JsonDocument.Parse(json).RootElement;
        public bool Changed(string field) => _root.TryGetProperty(field, out _);
        public JsonElement Before(string field) => _root.GetProperty(field).GetProperty("before");
        public JsonElement After(string field) => _root.GetProperty(field).GetProperty("after");
    }

    static readonly Change StageWon = new("""{"StageName": {"before": "Negotiation", "after": "Closed Won"}, "IsWon": {"before": false, "after": true}, "Amount": {"before": 10, "after": 5000}}""");

    [Theory]
    [InlineData("ISCHANGED(StageName)", "(Id != null)")]
    [InlineData("ISCHANGED(Name) AND Amount > 1000", "(Id = null) AND (Id != null)")]
    [InlineData("IsWon = true AND Account.Industry = 'Energy'", "(Id != null) AND Account.Industry = 'Energy'")]
    [InlineData("PRIORVALUE(StageName) = 'Negotiation'", "(Id != null)")]
    [InlineData("PRIORVALUE(StageName) != 'negotiation'", "(Id = null)")]
    [InlineData("PRIORVALUE(Name) = 'Big deal'", "Name = 'Big deal'")]
    [InlineData("Name LIKE 'Big%' OR NOT (Amount < 100)", "Name LIKE 'Big%' OR NOT ((Id = null))")]
    public void Resolve_AnswersFromTheChange_LeavesTheRestToSoql(string condition, string expected) =>
        Assert.Equal(expected, RuleCondition.Resolve(condition, StageWon).Value);

    [Theory]
    [InlineData("IsWon = true) OR (Id != null", "condition: the ')' at position 12 closes nothing")]
    [InlineData("(IsWon = true", "condition: the condition opens more parentheses than it closes.")]
    [InlineData("IsWon = true ORDER BY Name", "condition: 'ORDER' at position 13 cannot appear in a condition")]
    [InlineData("Name = 'x'; DELETE", "condition: unexpected character at position 10: ';'")]
    [InlineData("PRIORVALUE(Amount) > 5", "condition: PRIORVALUE(Amount) must be compared with = or != to one value")]
    public void Resolve_RefusesWhatCouldLeaveTheParentheses(string condition, string expected) =>
        Assert.StartsWith(expected, RuleCondition.Resolve(condition, StageWon).Error!.Message);

    [Fact]
    public void MergeFields_KeepTypeAlone_AndWriteTextInside()
    {
        var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["Name"] = "Umbrella", ["Amount"] = 5000.0, ["Account.Name"] = "Acme" };
        JsonElement Render(string text) => MergeFields.Render(JsonSerializer.SerializeToElement(text), values, Today);
        Assert.Equal(5000.0, Render("{!Amount}").GetDouble());
        Assert.Equal("Onboard Umbrella (Acme), due 2026-05-17", Render("Onboard {!Name} ({!account.name}), due {!TODAY+3}").GetString());
        Assert.Equal("2026-05-13", Render("{!TODAY-1}").GetString());
        Assert.Equal(JsonValueKind.Null, Render("{!Missing}").ValueKind);
        Assert.Equal(["Name", "Account.Name"], MergeFields.PathsIn(JsonSerializer.SerializeToElement("{!Name} {!Account.Name} {!TODAY}")));
        Assert.Contains("only TODAY takes a day offset", MergeFields.Problem(JsonSerializer.SerializeToElement("{!Name+3}")));
    }

    [Fact]
    public void Parse_ValidRule_ReadsTriggerActionsAndMergePaths()
    {
        using var json = JsonDocument.Parse("""
            {"name": "Won", "object": "opportunity", "trigger": {"on": "field_changed", "fields": ["StageName"]}, "condition": "IsWon = true",
             "actions": [{"type": "create_record", "object": "Task", "fields": {"Subject": "Onboard {!Name} at {!Account.Name}", "OwnerId": "{!OwnerId}"}},
                         {"type": "update_fields", "parent": "AccountId", "fields": {"Description": "Won {!Name}"}}]}
            """);
        var rule = RuleParser.Parse(json.RootElement, TenantSchema.Standard, Today);
        Assert.True(rule.IsOk, rule.Error?.Message);
        Assert.Equal(("Opportunity", "field_changed", "StageName"), (rule.Value.Object.Name, rule.Value.Trigger.On, rule.Value.Trigger.Fields.Single()));
        Assert.Equal(["Name", "Account.Name", "OwnerId", "AccountId"], rule.Value.MergePaths);
        Assert.Equal(("Account", "AccountId"), (rule.Value.Actions[1].Object!.Name, rule.Value.Actions[1].Parent));
        Assert.True(rule.Value.Trigger.Matches("stage_changed", ["StageName", "IsWon"]));
        Assert.False(rule.Value.Trigger.Matches("updated", ["Amount"]));
        Assert.False(rule.Value.Trigger.Matches("deleted", ["StageName"]));
    }
}
