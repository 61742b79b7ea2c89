using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RevOps.Server.Tests;

/// <summary>
/// docs/automation.md's and docs/work-queue.md's examples run as written: every rule is accepted by a dry run,
/// the MCP calls and the curl commands answer without an error, with the doc's placeholders (005…, wh_…,
/// rule_…, wi_…, lease_…) replaced by real ids of a test tenant.
/// </summary>
public sealed partial class AutomationDocsTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    [Fact]
    public async Task AutomationDoc_EveryRuleMcpCallAndCurlRuns()
    {
        var tenant = await server.CreateTenantAsync("Automation docs");
        var ids = await PlaceholdersAsync(tenant);
        string doc = await ReadDocAsync("automation.md");

        var rules = JsonBlocks(doc).Where(IsRule).ToList();
        Assert.True(rules.Count >= 7, $"found {rules.Count} rules in automation.md");
        foreach (string rule in rules)
        {
            var test = await tenant.CallOkAsync("manage_automation", new { action = "test", rule = Parse(ids.Fill(rule)) });
            Assert.True(test.GetProperty("dryRun").GetBoolean(), test.ToString());
            Assert.Equal(Parse(rule)["name"]!.ToString(), test.Str("rule"));
        }

        var calls = JsonBlocks(doc).Where(b => !IsRule(b)).SelectMany(Lines).Where(l => l.Contains("\"action\"", StringComparison.Ordinal)).ToList();
        Assert.True(calls.Count >= 4, $"found {calls.Count} manage_automation calls");
        foreach (string call in calls)
        {
            var answer = await tenant.CallOkAsync("manage_automation", Parse(ids.Fill(call)));
            if (call.Contains("\"create\"", StringComparison.Ordinal)) ids.Rule = answer.Str("id");
        }
        Assert.StartsWith("rule_", ids.Rule);

        var rest = await server.CreateTenantAsync("Automation docs REST");
        var restIds = await PlaceholdersAsync(rest);
        int curls = 0;
        foreach (var command in CurlCommands(doc))
        {
            var reply = await SendAsync(rest, restIds, command);
            if (command.Method == HttpMethod.Post && command.Path == "/api/automation") restIds.Rule = reply.Body.Str("id");
            curls++;
        }
        Assert.True(curls >= 6, $"ran {curls} curl commands");
        var left = await ApiClient.GetAsync(server, "/api/automation", rest.ApiKey);
        Assert.Equal(0, left.Body.GetProperty("rules").GetArrayLength()); // the doc's last command deletes the rule it made
    }

    [Fact]
    public async Task WorkQueueDoc_EveryCallCurlAndRuleRuns()
    {
        var tenant = await server.CreateTenantAsync("Work queue docs");
        var ids = await PlaceholdersAsync(tenant);
        string doc = await ReadDocAsync("work-queue.md");

        foreach (string rule in JsonBlocks(doc).Where(IsRule))
        {
            var test = await tenant.CallOkAsync("manage_automation", new { action = "test", rule = Parse(ids.Fill(rule)) });
            Assert.True(test.GetProperty("dryRun").GetBoolean(), test.ToString());
            Assert.Equal(Parse(rule)["name"]!.ToString(), test.Str("rule"));
        }

        var calls = JsonBlocks(doc).Where(b => !IsRule(b)).SelectMany(Lines).Where(l => l.Contains("\"action\"", StringComparison.Ordinal)).ToList();
        Assert.True(calls.Count >= 7, $"found {calls.Count} work_queue calls");
        foreach (string call in calls)
        {
            if (Regex.IsMatch(call, "\"(complete|fail|release)\""))
            {
                // Each of these ends a claim: give it a claim of its own, as an agent would have.
                await tenant.CallOkAsync("work_queue", new { action = "enqueue", queue = "research", prompt = "Docs item" });
                await ClaimAsync(tenant, ids);
            }
            var answer = await tenant.CallOkAsync("work_queue", Parse(ids.Fill(call)));
            if (call.Contains("\"claim\"", StringComparison.Ordinal)) Remember(ids, answer);
            if (call.Contains("\"complete\"", StringComparison.Ordinal)) Assert.Equal("done", answer.Str("state"));
            if (call.Contains("\"list\"", StringComparison.Ordinal)) Assert.True(answer.TryGetProperty("counts", out _), answer.ToString());
        }

        int curls = 0;
        foreach (var command in CurlCommands(doc))
        {
            var reply = await SendAsync(tenant, ids, command);
            if (command.Path == "/api/work/claim") Remember(ids, reply.Body);
            curls++;
        }
        Assert.True(curls >= 5, $"ran {curls} curl commands");
    }

    async Task ClaimAsync(TestTenant tenant, Placeholders ids) =>
        Remember(ids, await tenant.CallOkAsync("work_queue", new { action = "claim", queue = "research" }));

    static void Remember(Placeholders ids, JsonElement claim)
    {
        Assert.True(claim.TryGetProperty("lease", out var lease) && lease.ValueKind == JsonValueKind.String, "no lease in " + claim);
        ids.Lease = lease.GetString()!;
        ids.Item = claim.GetProperty("item").Str("id");
    }

    async Task<ApiClient.Reply> SendAsync(TestTenant tenant, Placeholders ids, Curl command)
    {
        string path = ids.Fill(command.Path);
        var reply = await ApiClient.SendAsync(server, command.Method, path, tenant.ApiKey, command.Body is null ? null : ids.Fill(command.Body));
        Assert.True(reply.Status is HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.NoContent,
            $"{command.Method} {path} → {(int)reply.Status}\n{reply.Text}");
        return reply;
    }

    /// <summary>Real ids for the doc's placeholders: two users of the tenant and one webhook subscription.</summary>
    async Task<Placeholders> PlaceholdersAsync(TestTenant tenant)
    {
        var users = new List<string>();
        foreach (string who in new[] { "ann", "bob" })
        {
            var reply = await ApiClient.SendAsync(server, HttpMethod.Post, "/api/users", tenant.ApiKey,
                JsonSerializer.Serialize(new { email = $"{who}.{tenant.TenantId[..8]}@docs.test", name = who }));
            Assert.True(reply.Status == HttpStatusCode.Created, reply.Text);
            users.Add(reply.Body.Str("Id"));
        }
        // A public address given as a literal: nothing here resolves names, and no event is sent (rules are only dry-run).
        var hook = await tenant.CallOkAsync("manage_webhooks", new { action = "create", url = "https://93.184.215.14/revops", objects = new[] { "Opportunity" } });
        return new Placeholders(users, hook.Str("id"));
    }

    sealed class Placeholders(IReadOnlyList<string> users, string webhook)
    {
        public string Rule { get; set; } = "rule_none";
        public string Item { get; set; } = "wi_none";
        public string Lease { get; set; } = "lease_none";

        public string Fill(string text)
        {
            int next = 0;
            text = Regex.Replace(text, "005…", _ => users[next++ % users.Count]);
            return text.Replace("wh_…", webhook, StringComparison.Ordinal).Replace("rule_…", Rule, StringComparison.Ordinal)
                .Replace("wi_…", Item, StringComparison.Ordinal).Replace("lease_…", Lease, StringComparison.Ordinal);
        }
    }

    sealed record Curl(HttpMethod Method, string Path, string? Body);

    /// <summary>The curl commands of the doc's sh blocks: method, path and body, in order.</summary>
    static IEnumerable<Curl> CurlCommands(string doc)
    {
        foreach (Match block in ShBlock().Matches(doc))
            foreach (string command in block.Groups[1].Value.Replace("\\\n", " ", StringComparison.Ordinal).Split("\ncurl ").Select(c => c.TrimStart()))
            {
                if (!command.StartsWith("curl ", StringComparison.Ordinal) && !command.StartsWith("-s", StringComparison.Ordinal)) continue;
                var url = UrlPattern().Match(command);
                Assert.True(url.Success, "no URL in " + command);
                var body = BodyPattern().Match(command);
                var method = MethodPattern().Match(command);
                yield return new Curl(
                    method.Success ? new HttpMethod(method.Groups[1].Value) : body.Success ? HttpMethod.Post : HttpMethod.Get,
                    url.Groups[1].Value, body.Success ? body.Groups[1].Value : null);
            }
    }

    static IEnumerable<string> JsonBlocks(string doc) => JsonBlock().Matches(doc).Select(m => m.Groups[1].Value);

    static IEnumerable<string> Lines(string block) => block.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    static bool IsRule(string block) =>
        block.TrimStart().StartsWith('{') && block.Contains("\"actions\"", StringComparison.Ordinal) && !block.Contains("\"action\":", StringComparison.Ordinal);

    static Dictionary<string, object?> Parse(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, object?>>(json) ?? throw new InvalidOperationException("empty example: " + json);

    static Task<string> ReadDocAsync(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "docs", name))) return File.ReadAllTextAsync(Path.Combine(dir.FullName, "docs", name));
        throw new FileNotFoundException($"docs/{name} not found above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex("```json\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();

    [GeneratedRegex("```sh\\n(curl .*?)```", RegexOptions.Singleline)]
    private static partial Regex ShBlock();

    [GeneratedRegex("\"?http://localhost:5080(/[^\\s\"']*)\"?")]
    private static partial Regex UrlPattern();

    [GeneratedRegex("-d '(.*?)'", RegexOptions.Singleline)]
    private static partial Regex BodyPattern();

    [GeneratedRegex("-X (GET|POST|PUT|PATCH|DELETE)")]
    private static partial Regex MethodPattern();
}
