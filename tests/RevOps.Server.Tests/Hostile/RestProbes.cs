using System.Text.Json.Nodes;

namespace RevOps.Server.Tests.Hostile;

/// <summary>
/// Cross-tenant probes over HTTP, derived from the server's routes: each of A's Ids (or emails, for
/// external-id paths) in every route parameter; for routes without one, a small table of query and
/// body shapes, with a generic fallback (id, ids, record_id, q) for routes added later.
/// </summary>
public static class RestProbes
{
    public const string Version = "v60.0";

    public static IEnumerable<Probe> For(IReadOnlyList<DiscoveredRoute> routes, VictimDataset victim, RawHttp http, string readKey, string writeKey)
    {
        foreach (var route in routes)
        {
            string key = route.IsRead ? readKey : writeKey;
            var holes = route.Parameters.Where(p => p is not "version").ToList();
            if (holes.Count == 0 || holes is ["type"])
            {
                foreach (var (secret, query, body) in Shapes(route, victim, writeKey))
                    yield return Send(http, route, key, secret, v => route.Fill(p => p == "type" ? TypeFor(route, secret) : Version) + query(v), body);
                continue;
            }
            foreach (var (secret, fill) in Fillings(route, victim))
                yield return Send(http, route, key, secret, v => route.Fill(p => fill(p, v)), BodyFor(route));
        }
    }

    static Probe Send(RawHttp http, DiscoveredRoute route, string key, string secret, Func<string, string> path, Func<string, string>? body) =>
        new($"{route.Method} {route.Pattern}", secret, secret.Length > 0 && !CountsCalls(route), async (v, ct) =>
        {
            string target = path(v);
            string? content = body?.Invoke(v);
            return (target + " " + content, await http.SendAsync(new HttpMethod(route.Method), target, key, content, ct));
        }) { ByWriter = !route.IsRead };

    /// <summary>Limits and usage answers count B's own calls, so two calls in a row never answer alike; the leak check still applies.</summary>
    static bool CountsCalls(DiscoveredRoute route) => route.Pattern.Contains("/limits", StringComparison.Ordinal) || route.Pattern.Contains("/usage", StringComparison.Ordinal);

    /// <summary>Route parameters filled with A's values: Ids for {id}, an email or Id for {field}/{value}, A's org and key for /id/{org}/{user}.</summary>
    static IEnumerable<(string Secret, Func<string, string, string> Fill)> Fillings(DiscoveredRoute route, VictimDataset victim)
    {
        if (route.Parameters.Contains("field"))
        {
            foreach (var (field, secret) in new[] { ("Email", victim["ContactEmail"]), ("Id", victim["Contact"]), (VictimDataset.CustomField, victim["CustomValue"]) })
                yield return (secret, (p, v) => p switch { "version" => Version, "type" => "Contact", "field" => field, _ => v });
            yield break;
        }
        foreach (var id in victim.Ids)
            yield return (id, (p, v) => p switch { "version" => Version, "type" => McpProbes.ObjectOf(id), "org" => "00D" + v[3..], _ => v });
    }

    /// <summary>Query strings and bodies for routes whose path holds no record: a table for the known ones, a generic fallback.</summary>
    static IEnumerable<(string Secret, Func<string, string> Query, Func<string, string>? Body)> Shapes(DiscoveredRoute route, VictimDataset victim, string writeKey)
    {
        string tail = route.Pattern.EndsWith("/{type}", StringComparison.Ordinal) ? "/{type}" : route.Pattern[(route.Pattern.LastIndexOf('/'))..];
        switch (route.Method, route.Pattern)
        {
            case ("GET", _) when route.Pattern.EndsWith("/query", StringComparison.Ordinal) || route.Pattern.EndsWith("/queryAll", StringComparison.Ordinal):
                foreach (var (template, secret) in SoqlProbes.For(victim))
                    yield return (secret, v => "?q=" + Uri.EscapeDataString(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, v)), null);
                yield break;
            case ("GET", _) when route.Pattern.EndsWith("/composite/sobjects/{type}", StringComparison.Ordinal):
                foreach (var id in victim.Ids) yield return (id, v => $"?ids={v}&fields=Id,Name", null);
                yield break;
            case ("POST", _) when route.Pattern.EndsWith("/composite/sobjects/{type}", StringComparison.Ordinal):
                foreach (var id in victim.Ids) yield return (id, _ => "", v => new JsonObject { ["ids"] = new JsonArray(v), ["fields"] = new JsonArray("Id", "Name") }.ToJsonString());
                yield break;
            case ("DELETE", _) when route.Pattern.EndsWith("/composite/sobjects", StringComparison.Ordinal):
                foreach (var id in victim.Ids) yield return (id, v => $"?ids={v}&allOrNone=false", null);
                yield break;
            case ("PATCH" or "POST", _) when route.Pattern.EndsWith("/composite/sobjects", StringComparison.Ordinal):
                foreach (var id in victim.Ids)
                    yield return (id, _ => "", v => new JsonObject
                    {
                        ["allOrNone"] = false,
                        ["records"] = new JsonArray(route.Method == "PATCH"
                            ? new JsonObject { ["attributes"] = new JsonObject { ["type"] = McpProbes.ObjectOf(id) }, ["id"] = v, ["Description"] = "Hacked" }
                            : new JsonObject { ["attributes"] = new JsonObject { ["type"] = "Contact" }, ["LastName"] = "Probe", ["AccountId"] = v }),
                    }.ToJsonString());
                yield break;
            case ("POST", _) when route.Pattern.EndsWith("/composite", StringComparison.Ordinal):
                foreach (var id in victim.Ids)
                    yield return (id, _ => "", v => new JsonObject
                    {
                        ["allOrNone"] = false,
                        ["compositeRequest"] = new JsonArray(
                            new JsonObject { ["method"] = "GET", ["url"] = $"/services/data/{Version}/sobjects/{McpProbes.ObjectOf(id)}/{v}", ["referenceId"] = "read" },
                            new JsonObject { ["method"] = "PATCH", ["url"] = $"/services/data/{Version}/sobjects/{McpProbes.ObjectOf(id)}/{v}", ["referenceId"] = "write", ["body"] = new JsonObject { ["Description"] = "Hacked" } },
                            new JsonObject { ["method"] = "GET", ["url"] = $"/services/data/{Version}/query?q=" + Uri.EscapeDataString($"SELECT Id FROM Contact WHERE AccountId = '{v}'"), ["referenceId"] = "query" }),
                    }.ToJsonString());
                yield break;
            case ("POST", _) when route.Pattern.EndsWith("/composite/tree/{type}", StringComparison.Ordinal):
                foreach (var id in victim.Ids) yield return (id, _ => "", v => Tree(McpProbes.ObjectOf(id), v).ToJsonString());
                yield break;
            case ("POST", _) when route.Pattern.StartsWith("/services/Soap/", StringComparison.Ordinal):
                foreach (var id in victim.Ids.Where(i => i.StartsWith("00Q", StringComparison.Ordinal)).Append(victim["Account"]).Append(victim["Contact"]))
                    yield return (id, _ => "", v => SoapEnvelope.ConvertLead(writeKey, v));
                yield break;
            case ("POST", _) when route.Pattern.EndsWith("/graphql", StringComparison.Ordinal):
                foreach (var id in victim.Ids.Where(i => McpProbes.ObjectOf(i) is "Account" or "Contact" or "Opportunity" or "Lead" or "Task" or "Event" or "User"))
                    foreach (string document in GraphQLProbes(McpProbes.ObjectOf(id)))
                        yield return (id, _ => "", v => new JsonObject { ["query"] = document, ["variables"] = new JsonObject { ["v"] = v } }.ToJsonString());
                yield break;
            case ("GET", _) when tail is "/updated" or "/deleted":
                yield return ("", _ => "?start=2000-01-01T00:00:00Z&end=2100-01-01T00:00:00Z", null);
                yield break;
        }
        // Anything else, including endpoints added after this suite was written: the usual names for Ids and queries.
        foreach (var id in victim.Ids.Take(6).Append(victim["ContactEmail"]))
            yield return route.IsRead || route.Method == "DELETE"
                ? (id, v => $"?id={v}&ids={v}&record_id={v}&recordId={v}&q={Uri.EscapeDataString(v)}&email={Uri.EscapeDataString(v)}", null)
                : (id, _ => "", v => new JsonObject { ["id"] = v, ["Id"] = v, ["ids"] = new JsonArray(v), ["record_id"] = v, ["name"] = v }.ToJsonString());
    }

    /// <summary>GraphQL reads of A's record by Id, through a lookup and under a child connection, and writes to it.</summary>
    static IEnumerable<string> GraphQLProbes(string obj)
    {
        yield return $"query($v: ID) {{ uiapi {{ query {{ {obj}(where: {{ Id: {{ eq: $v }} }}) {{ edges {{ node {{ Id }} }} totalCount }} }} }} }}";
        yield return $"query($v: ID) {{ uiapi {{ query {{ {obj}(where: {{ Id: {{ in: [$v] }} }}) {{ totalCount }} }} }} }}";
        if (obj == "Account")
            yield return "query($v: ID) { uiapi { query { Contact(where: { AccountId: { eq: $v } }) { edges { node { Account { Name { value } } } } totalCount } } } }";
        if (obj == "User")
            yield return "query($v: ID) { uiapi { query { Account(where: { OwnerId: { eq: $v } }) { totalCount } } } }";
        if (obj != "User")
        {
            yield return $"mutation($v: ID!) {{ uiapi {{ {obj}Update(input: {{ Id: $v, {obj}: {{ Description: \"Hacked\" }} }}) {{ success }} }} }}";
            yield return $"mutation($v: ID!) {{ uiapi {{ {obj}Delete(input: {{ Id: $v }}) {{ Id }} }} }}";
        }
    }

    /// <summary>An sObject tree is posted under Account whatever A's record is; its nested records point at A's record instead.</summary>
    static string TypeFor(DiscoveredRoute route, string secret) =>
        route.Pattern.EndsWith("/composite/tree/{type}", StringComparison.Ordinal) ? "Account" : McpProbes.ObjectOf(secret);

    /// <summary>An Account tree with one record that references A's record through the lookup that fits it (ParentId, a task's WhoId or WhatId).</summary>
    static JsonObject Tree(string objectOfId, string v)
    {
        static JsonObject Node(string type, string reference) => new() { ["attributes"] = new JsonObject { ["type"] = type, ["referenceId"] = reference } };
        var root = Node("Account", "root");
        root["Name"] = "Probe";
        switch (objectOfId)
        {
            case "Account":
                root["ParentId"] = v;
                break;
            case "Contact" or "Lead":
                var task = Node("Task", "task");
                task["Subject"] = "Probe";
                task["WhoId"] = v;
                root["Tasks"] = new JsonObject { ["records"] = new JsonArray(task) };
                break;
            default:
                var contact = Node("Contact", "contact");
                contact["LastName"] = "Probe";
                var about = Node("Task", "about");
                about["Subject"] = "Probe";
                about["WhatId"] = v;
                contact["Tasks"] = new JsonObject { ["records"] = new JsonArray(about) };
                root["Contacts"] = new JsonObject { ["records"] = new JsonArray(contact) };
                break;
        }
        return new JsonObject { ["records"] = new JsonArray(root) };
    }

    /// <summary>A body for writes to a record path: a harmless field change (A's record must stay as it is).</summary>
    static Func<string, string>? BodyFor(DiscoveredRoute route) => route.Method is "PATCH" or "POST" or "PUT" ? _ => """{"Description":"Hacked"}""" : null;
}
