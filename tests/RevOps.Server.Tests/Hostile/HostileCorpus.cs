using System.Text;
using System.Text.Json.Nodes;

namespace RevOps.Server.Tests.Hostile;

/// <summary>One generated input: where it goes, as whom (the victim for reads, the scratch tenant for writes), and its bytes.</summary>
public sealed record HostileInput(string Label, string Method, string Path, byte[]? Body, bool AsScratch);

/// <summary>
/// Issue 7 (c)'s corpus, generated deterministically (fixed seed) from the discovered tools and
/// routes: broken JSON-RPC, wrong types for every parameter, huge values, injection, odd Ids and
/// unicode edge cases in every string parameter, path segment and query string, and bad UTF-8 bytes.
/// </summary>
public static class HostileCorpus
{
    public const int Seed = 20260707;

    public static List<HostileInput> Generate(IReadOnlyList<DiscoveredTool> tools, IReadOnlyList<DiscoveredRoute> routes, IReadOnlyList<string> victimIds)
    {
        var random = new Random(Seed);
        var inputs = new List<HostileInput>();
        void Mcp(string label, string body, bool write) => inputs.Add(new(label, "POST", "/mcp", Encoding.UTF8.GetBytes(body), write));

        // Broken JSON-RPC: truncations of a valid call at every byte, wrong versions, ids, methods and params, batches.
        string valid = JsonRpc.CallTool("soql_query", new JsonObject { ["query"] = "SELECT Id, Name FROM Contact WHERE Name = 'x'" }, 7);
        for (int i = 0; i < valid.Length; i++) Mcp("truncated", valid[..i], false);
        foreach (var version in new[] { "\"1.0\"", "2.0", "null", "\"\"", "\"2.0 \"", "[\"2.0\"]" })
            Mcp("jsonrpc version", $$"""{"jsonrpc":{{version}},"id":1,"method":"tools/list"}""", false);
        foreach (var id in new[] { "{}", "[]", "true", "1.5", "-1", "1e400", "99999999999999999999999999999", "\"" + new string('9', 5000) + "\"", "null" })
            Mcp("id type", $$"""{"jsonrpc":"2.0","id":{{id}},"method":"tools/list"}""", false);
        foreach (var method in new[] { "", "\"\"", "null", "1", "[]", "\"tools/cal\"", "\"TOOLS/LIST\"", "\"initialize\"", "\"notifications/initialized\"", "\"rpc.discover\"", "\"../tools/list\"", "\"tools/call\\u0000\"" })
            Mcp("method", method.Length == 0 ? """{"jsonrpc":"2.0","id":1}""" : "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":" + method + ",\"params\":{}}", false);
        foreach (var parameters in new[] { "[]", "\"x\"", "1", "null", "{\"name\":null}", "{\"name\":[]}", "{\"name\":\"soql_query\",\"arguments\":[]}", "{\"name\":\"soql_query\",\"arguments\":\"x\"}" })
            Mcp("params", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":" + parameters + "}", false);
        foreach (var batch in new[] { "[]", "[" + valid + "]", "[" + valid + "," + valid + "]", "[[" + valid + "]]", "[1,2,3]", "[null]" })
            Mcp("batch", batch, false);
        foreach (var junk in new[] { "", " ", "null", "0", "\"str\"", "{", "}", "{}}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}garbage", new string('[', 5000), "{\"a\":" + new string('[', 100) })
            Mcp("junk", junk, false);

        foreach (var tool in tools)
        {
            bool write = !tool.ReadOnly;
            foreach (var parameter in tool.Parameters)
            {
                // Wrong types (and huge values) for every parameter.
                foreach (var json in HostileValues.WrongTypesJson)
                {
                    var arguments = ToolArguments.Base(tool);
                    arguments[parameter.Name] = JsonNode.Parse(json.Length > 60_000 ? "\"x\"" : json);
                    string body = JsonRpc.CallTool(tool.Name, arguments);
                    if (json.Length > 60_000) body = body.Replace("\"x\"", json, StringComparison.Ordinal); // keep the long literal as sent
                    Mcp($"{tool.Name}.{parameter.Name} type", body, write);
                }
                if (parameter.Type is not "string" and not "array" and not "object") continue;
                // Injection, odd Ids, unicode and the victim's Ids in every string-carrying parameter.
                foreach (var value in HostileValues.Injection.Concat(HostileValues.OddIds).Concat(victimIds.Take(4)))
                {
                    var arguments = ToolArguments.Base(tool);
                    arguments[parameter.Name] = Shape(parameter, value);
                    Mcp($"{tool.Name}.{parameter.Name} injection", JsonRpc.CallTool(tool.Name, arguments), write);
                }
                foreach (var value in HostileValues.Unicode)
                {
                    var arguments = ToolArguments.Base(tool);
                    arguments[parameter.Name] = Shape(parameter, "@@U@@");
                    // Escapes such as \ud800 go in raw, as a client would send a lone surrogate.
                    Mcp($"{tool.Name}.{parameter.Name} unicode", JsonRpc.CallTool(tool.Name, arguments).Replace("@@U@@", value.StartsWith('\\') ? value : Escape(value), StringComparison.Ordinal), write);
                }
            }
        }

        // SOQL: mutations of valid queries (fixed seed), over MCP and REST.
        string[] queries =
        [
            "SELECT Id, Name, Email FROM Contact WHERE Email LIKE '%@example.com' ORDER BY Name LIMIT 10", "SELECT COUNT(Id) n, StageName FROM Opportunity GROUP BY StageName HAVING COUNT(Id) > 0",
            "SELECT Name, (SELECT LastName FROM Contacts) FROM Account WHERE Id IN (SELECT AccountId FROM Contact)", "SELECT Id FROM Task WHERE ActivityDate = LAST_N_DAYS:30 AND Status != 'Completed'",
            "SELECT Id, Account.Name FROM Opportunity WHERE Amount > 1000 AND CloseDate < 2026-12-31 OFFSET 5",
        ];
        const string alphabet = "'\"\\()%_*,.=<>!:;-/ \t\n\u0000{}[]0123456789SELECTFROMWHERE😀";
        for (int i = 0; i < 1500; i++)
        {
            var q = new StringBuilder(queries[random.Next(queries.Length)]);
            for (int m = random.Next(1, 5); m > 0 && q.Length > 0; m--)
            {
                int at = random.Next(q.Length);
                switch (random.Next(3))
                {
                    case 0: q.Remove(at, Math.Min(random.Next(1, 8), q.Length - at)); break;
                    case 1: q.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                    default: q.Insert(at, q.ToString(at, Math.Min(random.Next(1, 12), q.Length - at))); break;
                }
            }
            if (i % 2 == 0) Mcp("soql mutation", JsonRpc.CallTool("soql_query", new JsonObject { ["query"] = q.ToString() }), false);
            else inputs.Add(new("soql mutation (REST)", "GET", "/services/data/v60.0/query?q=" + Uri.EscapeDataString(q.ToString()), null, false));
        }
        foreach (var extreme in new[]
                 {
                     "SELECT Id FROM Contact WHERE " + string.Concat(Enumerable.Repeat("(", 2000)) + "Name = 'x'" + string.Concat(Enumerable.Repeat(")", 2000)),
                     "SELECT Id FROM Contact WHERE Name IN (" + string.Join(",", Enumerable.Range(0, 5000).Select(n => $"'n{n}'")) + ")",
                     "SELECT Id FROM Contact LIMIT 99999999999999999999", "SELECT Id FROM Contact OFFSET -1", "SELECT Id FROM Contact WHERE CreatedDate = LAST_N_DAYS:99999999999",
                     "SELECT Id FROM Contact WHERE Name = '" + new string('x', 90_000) + "'", "SELECT " + string.Join(",", Enumerable.Repeat("Name", 5000)) + " FROM Contact",
                     "SELECT Id FROM sqlite_master", "SELECT Id FROM api_keys", "SELECT key_hash FROM Contact", "SELECT Id FROM Contact WHERE Amount = 1e999",
                 })
        {
            Mcp("soql extreme", JsonRpc.CallTool("soql_query", new JsonObject { ["query"] = extreme }), false);
            inputs.Add(new("soql extreme (REST)", "GET", "/services/data/v60.0/query?q=" + Uri.EscapeDataString(extreme), null, false));
        }

        // REST: hostile values in every route parameter and in the query string; malformed bodies for writes.
        foreach (var route in routes)
        {
            bool write = !route.IsRead;
            foreach (var value in HostileValues.OddIds.Concat(HostileValues.Injection).Concat(HostileValues.Unicode.Where(u => !u.StartsWith('\\'))))
            {
                string path = route.Fill(p => p == "version" ? "v60.0" : p == "type" ? "Contact" : "@@V@@");
                if (path.Contains("@@V@@", StringComparison.Ordinal)) inputs.Add(new($"{route.Method} {route.Pattern} path", route.Method, path.Replace("@@V@@", Uri.EscapeDataString(value), StringComparison.Ordinal), BodyFor(route), write));
                if (path.Contains("@@V@@", StringComparison.Ordinal) && value.All(c => c is > ' ' and < '\u007f' and not '#' and not '?' and not '%'))
                    inputs.Add(new($"{route.Method} {route.Pattern} raw path", route.Method, path.Replace("@@V@@", value, StringComparison.Ordinal), BodyFor(route), write));
                string plain = route.Fill(p => p == "version" ? "v60.0" : p == "type" ? "Contact" : "003000000000001AAA");
                string e = Uri.EscapeDataString(value);
                inputs.Add(new($"{route.Method} {route.Pattern} query", route.Method, $"{plain}?q={e}&ids={e}&fields={e}&start={e}&end={e}&id={e}", BodyFor(route), write));
            }
            foreach (var version in new[] { "v0.1", "v99999999999.0", "v60", "60.0", "v-1.0", "v60.0.0", "vNaN", "v%2e%2e" })
                if (route.Pattern.Contains("{version}", StringComparison.Ordinal))
                    inputs.Add(new($"{route.Method} {route.Pattern} version", route.Method, route.Fill(p => p == "version" ? version : p == "type" ? "Contact" : "003000000000001AAA"), BodyFor(route), write));
            if (route.IsRead) continue;
            string target = route.Fill(p => p == "version" ? "v60.0" : p == "type" ? "Contact" : p == "field" ? "Id" : "003000000000001AAA");
            foreach (var json in HostileValues.WrongTypesJson.Concat(["{", "{\"records\":", "{\"records\":[{\"attributes\":{\"type\":\"Contact\"},\"LastName\":" + new string('[', 100) + "}]}",
                         "{\"compositeRequest\":[{\"method\":\"DELETE\",\"url\":\"/services/data/v60.0/sobjects/Contact/../../../tenants\",\"referenceId\":\"x\"}]}",
                         "{\"compositeRequest\":[{\"method\":\"GET\",\"url\":\"http://169.254.169.254/latest\",\"referenceId\":\"x\"}]}",
                         "{\"records\":[{\"attributes\":{\"type\":\"../../tenants\"},\"LastName\":\"x\"}]}", "{\"LastName\":\"x\",\"Id\":\"003000000000001AAA\",\"tenant_id\":\"x\"}",
                         "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>"]))
                inputs.Add(new($"{route.Method} {route.Pattern} body", route.Method, target, Encoding.UTF8.GetBytes(json), true));
            foreach (var bytes in HostileValues.BadBytes)
                inputs.Add(new($"{route.Method} {route.Pattern} bytes", route.Method, target, [.. "{\"LastName\":\""u8, .. bytes, .. "\"}"u8], true));
        }
        foreach (var bytes in HostileValues.BadBytes)
            inputs.Add(new("MCP bytes", "POST", "/mcp", [.. "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"search_crm\",\"arguments\":{\"text\":\""u8, .. bytes, .. "\"}}}"u8], false));
        return inputs;
    }

    static JsonNode Shape(ToolParameter parameter, string value) => parameter.Type switch
    {
        "array" when parameter.ItemType == "object" => new JsonArray(new JsonObject { ["Id"] = value, ["LastName"] = value }),
        "array" => new JsonArray(value),
        "object" => new JsonObject { ["LastName"] = value, [value.Length is > 0 and < 60 ? value : "Name"] = value },
        _ => value,
    };

    /// <summary>The value as a JSON string body (without quotes), escaping what JSON requires.</summary>
    static string Escape(string value) => System.Text.Json.JsonSerializer.Serialize(value)[1..^1];

    static byte[]? BodyFor(DiscoveredRoute route) => route.IsRead || route.Method == "DELETE" ? null : """{"LastName":"Probe"}"""u8.ToArray();
}
