using System.Net;
using System.Text.Json;

namespace RevOps.Server.Tests.Hostile;

/// <summary>
/// Issue 23's work queue under hostile input: unknown actions, wrong types, huge prompts and notes, injection and odd
/// characters in queue and type names, another tenant's item ids and stolen lease tokens, broken REST bodies. Each is
/// refused with a message that says what to send (no 5xx), the victim's items are neither seen nor touched, and the
/// database is as it was.
/// </summary>
public sealed class WorkQueueHostileTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    [Fact]
    public async Task HostileCalls_AreRefusedWithAReason_AndChangeNothing()
    {
        var victim = await server.CreateTenantAsync("Work victim");
        var attacker = await server.CreateTenantAsync("Work attacker");
        string account = (await victim.CallOkAsync("create_account", new { Name = "Victim Secret Co" })).Str("Id");
        string item = (await victim.CallOkAsync("work_queue", new { action = "enqueue", queue = "research", prompt = "Secret research", record_id = account })).Str("id");
        var victimClaim = await victim.CallOkAsync("work_queue", new { action = "claim", queue = "research", lease_seconds = 3600 });
        string lease = victimClaim.Str("lease");
        string waiting = (await victim.CallOkAsync("work_queue", new { action = "enqueue", queue = "research", prompt = "Waiting secret" })).Str("id");
        var before = StoreSnapshot.Take(server, victim.TenantId);

        var calls = new List<(string Label, object Arguments)>
        {
            ("unknown action", new { action = "steal" }),
            ("no action", new { queue = "research" }),
            ("action as number", new { action = 7 }),
            ("unknown argument", new { action = "list", tenant = victim.TenantId }),
            ("huge prompt", new { action = "enqueue", queue = "research", prompt = new string('x', 100_000) }),
            ("NUL in prompt", new { action = "enqueue", queue = "research", prompt = "a\u0000b" }),
            ("empty prompt", new { action = "enqueue", queue = "research", prompt = "   " }),
            ("prompt as object", new { action = "enqueue", queue = "research", prompt = new { a = 1 } }),
            ("no queue", new { action = "enqueue", prompt = "x" }),
            ("bad priority", new { action = "enqueue", queue = "research", prompt = "x", priority = "urgent!!" }),
            ("bad due", new { action = "enqueue", queue = "research", prompt = "x", due = "tomorrow-ish" }),
            ("victim's record", new { action = "enqueue", queue = "research", prompt = "x", record_id = account }),
            ("odd record", new { action = "enqueue", queue = "research", prompt = "x", record_id = "../../etc/passwd" }),
            ("user record", new { action = "enqueue", queue = "research", prompt = "x", record_id = victim.UserId }),
            ("get victim item", new { action = "get", id = item }),
            ("complete victim item with its lease", new { action = "complete", id = item, lease, note = "pwned" }),
            ("fail victim item", new { action = "fail", id = waiting, lease, note = "pwned" }),
            ("release victim item", new { action = "release", id = item, lease }),
            ("huge note", new { action = "complete", id = item, lease, note = new string('n', 50_000) }),
            ("lease too short", new { action = "claim", lease_seconds = 0 }),
            ("lease too long", new { action = "claim", lease_seconds = 999_999_999 }),
            ("lease as text", new { action = "claim", lease_seconds = "forever" }),
            ("bad state", new { action = "list", state = "claimed' OR 1=1 --" }),
            ("limit 0", new { action = "list", limit = 0 }),
            ("limit huge", new { action = "list", limit = 1_000_000 }),
        };
        // Values that happen to be plain names (0x27, CHAR) are fine queue names; every other is refused.
        foreach (var injection in HostileValues.Injection.Concat(["", " ", "a b", new string('q', 41), "résumé", "a\u0000b"])
                     .Where(v => !System.Text.RegularExpressions.Regex.IsMatch(v, "^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")))
        {
            calls.Add(($"queue {injection}", new { action = "enqueue", queue = injection, prompt = "x" }));
            calls.Add(($"claim queue {injection}", new { action = "claim", queue = injection.Trim().Length == 0 ? "%" : injection }));
            calls.Add(($"type {injection}", new { action = "enqueue", queue = "research", type = injection.Trim().Length == 0 ? "%" : injection, prompt = "x" }));
            calls.Add(($"get {injection}", new { action = "get", id = injection.Length == 0 ? "%" : injection }));
        }

        var problems = new List<string>();
        await using var client = await attacker.ConnectMcpAsync();
        foreach (var (label, arguments) in calls)
        {
            var result = await client.CallToolAsync("work_queue", Mcp.Arguments(arguments), cancellationToken: TestContext.Current.CancellationToken);
            string text = Mcp.Text(result);
            if (result.IsError != true) problems.Add($"{label}: not refused: {text[..Math.Min(200, text.Length)]}");
            if (text.Contains("Secret", StringComparison.Ordinal)) problems.Add($"{label}: leaks: {text}");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Contains("no work item", Mcp.Text(await client.CallToolAsync("work_queue", Mcp.Arguments(new { action = "complete", id = item, lease, note = "pwned" }),
            cancellationToken: TestContext.Current.CancellationToken)));
        Assert.Contains("prompt has 100000 characters; at most 8000", Mcp.Text(await client.CallToolAsync("work_queue",
            Mcp.Arguments(new { action = "enqueue", queue = "research", prompt = new string('x', 100_000) }), cancellationToken: TestContext.Current.CancellationToken)));
        Assert.Contains("is not a name", Mcp.Text(await client.CallToolAsync("work_queue", Mcp.Arguments(new { action = "enqueue", queue = "'; DROP TABLE work_items; --", prompt = "x" }),
            cancellationToken: TestContext.Current.CancellationToken)));

        // The attacker's own queue is empty: a claim finds nothing of the victim's.
        var claim = await attacker.CallOkAsync("work_queue", new { action = "claim", queue = "research" });
        Assert.Equal(JsonValueKind.Null, claim.GetProperty("item").ValueKind);
        var listed = await attacker.CallOkAsync("work_queue", new { action = "list" });
        Assert.Equal(0, listed.GetProperty("count").GetInt32());

        var rest = new List<(string Label, ApiClient.Reply Reply)>
        {
            ("get victim item", await ApiClient.GetAsync(server, $"/api/work/{item}", attacker.ApiKey)),
            ("complete victim item", await ApiClient.SendAsync(server, HttpMethod.Post, $"/api/work/{item}/complete", attacker.ApiKey, JsonSerializer.Serialize(new { lease, note = "x" }))),
            ("not JSON", await ApiClient.SendAsync(server, HttpMethod.Post, "/api/work", attacker.ApiKey, "{\"queue\":")),
            ("array body", await ApiClient.SendAsync(server, HttpMethod.Post, "/api/work", attacker.ApiKey, "[1,2]")),
            ("deep JSON", await ApiClient.SendAsync(server, HttpMethod.Post, "/api/work", attacker.ApiKey, new string('[', 5000) + new string(']', 5000))),
            ("huge prompt", await ApiClient.SendAsync(server, HttpMethod.Post, "/api/work", attacker.ApiKey, JsonSerializer.Serialize(new { queue = "r", prompt = new string('x', 1_000_000) }))),
            ("claim lease text", await ApiClient.SendAsync(server, HttpMethod.Post, "/api/work/claim", attacker.ApiKey, """{"lease_seconds": "forever"}""")),
            ("list bad state", await ApiClient.GetAsync(server, "/api/work?state=" + Uri.EscapeDataString("' OR 1=1 --"), attacker.ApiKey)),
            ("list injected queue", await ApiClient.GetAsync(server, "/api/work?queue=" + Uri.EscapeDataString("x' OR '1'='1"), attacker.ApiKey)),
            ("odd id", await ApiClient.GetAsync(server, "/api/work/%2e%2e", attacker.ApiKey)),
            ("no key", await ApiClient.GetAsync(server, "/api/work", null)),
        };
        var failures = rest.Where(r => (int)r.Reply.Status is < 400 or >= 500 || r.Reply.Text.Contains("Secret", StringComparison.Ordinal))
            .Select(r => $"{r.Label}: {(int)r.Reply.Status} {r.Reply.Text[..Math.Min(200, r.Reply.Text.Length)]}").ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(HttpStatusCode.NotFound, rest.Single(r => r.Label == "complete victim item").Reply.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, rest.Single(r => r.Label == "no key").Reply.Status);

        var after = StoreSnapshot.Take(server, victim.TenantId);
        Assert.True(after.ChangedSince(before).Count == 0, "changed: " + string.Join(", ", after.ChangedSince(before)));
        var stillMine = await victim.CallOkAsync("work_queue", new { action = "get", id = item });
        Assert.Equal(("claimed", "Secret research"), (stillMine.Str("state"), stillMine.Str("prompt")));
        Assert.Equal("done", (await victim.CallOkAsync("work_queue", new { action = "complete", id = item, lease, note = "mine" })).Str("state"));
    }
}
