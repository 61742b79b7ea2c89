using System.Text.Json.Nodes;

namespace RevOps.Server.Tests.Hostile;

/// <summary>
/// Cross-tenant probes over MCP, derived from tools/list: every parameter of every tool gets each
/// of A's values its type can carry; plus resources, prompts and completions naming A's records.
/// </summary>
public static class McpProbes
{
    public static IEnumerable<Probe> For(IReadOnlyList<DiscoveredTool> tools, VictimDataset victim, RawHttp http, string readKey, string writeKey)
    {
        var ids = victim.Ids.Concat(victim.Ids.Take(4).Select(id => id[..15])).ToList();
        foreach (var tool in tools)
        {
            string key = tool.ReadOnly ? readKey : writeKey;
            foreach (var parameter in tool.Parameters.Where(p => p.Allowed.Count == 0))
                foreach (var (secret, compare, value) in ValuesFor(tool, parameter, victim, ids))
                    yield return new Probe($"{tool.Name}.{parameter.Name}", secret, compare, async (v, ct) =>
                    {
                        var arguments = ToolArguments.Base(tool);
                        arguments[parameter.Name] = value(v);
                        string body = JsonRpc.CallTool(tool.Name, arguments);
                        return (body, await http.McpAsync(key, body, ct));
                    }) { ByWriter = !tool.ReadOnly, ChangesSchema = tool.Name.StartsWith("define_", StringComparison.Ordinal) };
            if (tool.Name == "bulk_write")
                foreach (var id in victim.Ids)
                    yield return Call(http, writeKey, "bulk_write.delete", id, v => JsonRpc.CallTool("bulk_write", new JsonObject
                    {
                        ["object"] = ObjectOf(id), ["operation"] = "delete", ["records"] = new JsonArray(new JsonObject { ["Id"] = v }),
                    })) with { ByWriter = true };
        }

        foreach (var id in victim.Ids)
            yield return Call(http, readKey, "resources/read", id, v => JsonRpc.Request("resources/read", new JsonObject { ["uri"] = $"crm://{ObjectOf(id)}/{v}" }));
        yield return Call(http, readKey, "resources/list", "", _ => JsonRpc.Request("resources/list", new JsonObject()), compare: false);
        foreach (var (prompt, argument) in new[] { ("account_review", "account"), ("log_call", "contact") })
            foreach (var value in victim.Ids.Concat([victim["AccountName"], victim["ContactLastName"]]))
                yield return Call(http, readKey, $"prompts/get {prompt}", value, v => JsonRpc.Request("prompts/get", new JsonObject
                {
                    ["name"] = prompt, ["arguments"] = new JsonObject { [argument] = v, ["summary"] = "x" },
                }));
        foreach (var (argument, prefix) in new[] { ("account", "Zqx"), ("contact", "Ada"), ("contact", "Zqx"), ("account", "") })
            yield return Call(http, readKey, $"completion/complete {argument}", prefix, v => JsonRpc.Request("completion/complete", new JsonObject
            {
                ["ref"] = new JsonObject { ["type"] = "ref/prompt", ["name"] = argument == "account" ? "account_review" : "log_call" },
                ["argument"] = new JsonObject { ["name"] = argument, ["value"] = v },
            }), compare: prefix.Length > 0);
    }

    static Probe Call(RawHttp http, string key, string label, string secret, Func<string, string> body, bool compare = true) =>
        new(label, secret, compare, async (v, ct) =>
        {
            string sent = body(v);
            return (sent, await http.McpAsync(key, sent, ct));
        });

    /// <summary>The values a parameter can carry: A's Ids where it takes Ids, A's cursors for cursors, SOQL for queries, A's markers elsewhere.</summary>
    static IEnumerable<(string Secret, bool Compare, Func<string, JsonNode> Value)> ValuesFor(DiscoveredTool tool, ToolParameter parameter, VictimDataset victim, List<string> ids)
    {
        switch (parameter)
        {
            case { Name: "cursor" }:
                foreach (var cursor in victim.Cursors) yield return (cursor, false, v => v);
                break;
            case { Name: "query", Type: "string" }:
                foreach (var (template, secret) in SoqlProbes.For(victim)) yield return (secret, true, v => string.Format(System.Globalization.CultureInfo.InvariantCulture, template, v));
                break;
            case { Type: "string" } when parameter.TakesIds:
                foreach (var id in ids) yield return (id, true, v => v);
                break;
            case { Type: "array", ItemType: "string" } when parameter.TakesIds:
                foreach (var id in ids) yield return (id, true, v => new JsonArray(v));
                break;
            case { Type: "string" }:
                foreach (var marker in victim.Markers) yield return (marker, true, v => v);
                break;
            case { Type: "array", ItemType: "string" }:
                yield return (VictimDataset.CustomField, true, v => new JsonArray("Id", v));
                break;
            case { Type: "array", ItemType: "object" }:
                foreach (var id in victim.Ids) yield return (id, true, v => new JsonArray(new JsonObject { ["Id"] = v, ["LastName"] = "Hacked" }));
                yield return (victim["ContactEmail"], true, v => new JsonArray(new JsonObject { ["Email"] = v, ["LastName"] = "Probe" }));
                break;
            case { Type: "object" }:
                foreach (var (field, secret) in new[]
                         {
                             ("Id", victim["Contact"]), ("AccountId", victim["Account"]), ("WhoId", victim["Contact"]), ("WhatId", victim["Opportunity"]),
                             ("Name", victim["AccountName"]), ("Email", victim["ContactEmail"]), ("LastName", victim["ContactLastName"]), (VictimDataset.CustomField, victim["CustomValue"]),
                         })
                    yield return (secret, true, v => new JsonObject { ["LastName"] = "Probe" }.With(field, v));
                break;
        }
    }

    static JsonObject With(this JsonObject o, string name, JsonNode value)
    {
        o[name] = value;
        return o;
    }

    public static string ObjectOf(string id) => (id.Length >= 3 ? id[..3] : "") switch
    {
        "001" => "Account", "003" => "Contact", "00Q" => "Lead", "006" => "Opportunity", "00T" => "Task", "00U" => "Event", "005" => "User", _ => "Contact",
    };
}
