using System.Net;
using System.Text.Json;
using static RevOps.Server.Tests.ApiClient;

namespace RevOps.Server.Tests.WebConsole;

/// <summary>
/// Deleting a custom field from the console (after a confirmation page) and over DELETE /api/custom-fields: its values
/// leave every record, describe and tools/list drop it, the audit log says who and how many records lost a value; a field
/// an automation rule or a webhook filter names is refused with their names; another tenant's field is not found.
/// </summary>
public sealed class CustomFieldDeleteTests(WebhookServerFixture fixture) : IClassFixture<WebhookServerFixture>
{
    CrmServerFixture Server => fixture.Server;

    const string V = "services/data/v60.0";

    async Task<(TestTenant Tenant, ConsoleClient Client)> SignedInTenantAsync(string name)
    {
        var tenant = await Server.CreateTenantAsync(name);
        await ConsoleClient.SetPasswordAsync(Server, tenant);
        return (tenant, await ConsoleClient.SignedInAsync(Server, tenant.Username));
    }

    Task<Reply> SendJsonAsync(HttpMethod method, string path, string key, object body) => SendAsync(Server, method, path, key, JsonSerializer.Serialize(body));

    async Task<bool> DescribeHasAsync(TestTenant tenant, string obj, string field) =>
        (await GetAsync(Server, $"{V}/sobjects/{obj}/describe", tenant.ApiKey)).Body.GetProperty("fields").EnumerateArray().Any(f => f.Str("name") == field);

    async Task<string> ToolsListAsync(TestTenant tenant)
    {
        await using var mcp = await tenant.ConnectMcpAsync();
        var tools = await mcp.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
        return string.Join("\n", tools.Select(t => t.JsonSchema.GetRawText()));
    }

    [Fact]
    public async Task DeletedInTheConsole_AfterConfirming_ValuesGoneFromRecords_DescribeToolsAndAuditFollow()
    {
        var (tenant, client) = await SignedInTenantAsync("Field delete console");
        using var _ = client;
        await tenant.CallOkAsync("define_custom_field", new { @object = "Account", api_name = "Tier__c", type = "Text" });
        var kept = await SendJsonAsync(HttpMethod.Post, $"{V}/sobjects/Account", tenant.ApiKey, new { Name = "Gold Co", Tier__c = "Gold" });
        var binned = await SendJsonAsync(HttpMethod.Post, $"{V}/sobjects/Account", tenant.ApiKey, new { Name = "Binned Co", Tier__c = "Silver" });
        Assert.Equal(HttpStatusCode.Created, kept.Status);
        string keptId = kept.Body.Str("id"), binnedId = binned.Body.Str("id");
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(Server, HttpMethod.Delete, $"{V}/sobjects/Account/{binnedId}", tenant.ApiKey)).Status);
        Assert.Contains("Tier__c", await ToolsListAsync(tenant));

        var page = await client.GetAsync("/console/admin/fields");
        Assert.Contains("aria-label=\"Delete Account.Tier__c\"", page.Html);
        var confirm = await client.PostAsync("/console/admin/fields/delete", new() { ["object"] = "Account", ["field"] = "Tier__c" });
        Assert.Equal(HttpStatusCode.OK, confirm.Status);
        Assert.Contains("Delete Account.Tier__c? Its values leave every Account record", confirm.Html);
        Assert.Contains("name=\"confirm\" value=\"yes\"", confirm.Html);
        Assert.True(await DescribeHasAsync(tenant, "Account", "Tier__c"), "asking is not deleting");

        var deleted = await client.PostAsync("/console/admin/fields/delete", new() { ["object"] = "Account", ["field"] = "Tier__c", ["confirm"] = "yes" });
        Assert.True(deleted.Status == HttpStatusCode.OK, $"{(int)deleted.Status} {deleted.Html}");
        Assert.Contains("Deleted Account.Tier__c.", deleted.Html);
        Assert.DoesNotContain("data-field=\"Account.Tier__c\"", deleted.Html);

        Assert.False(await DescribeHasAsync(tenant, "Account", "Tier__c"));
        Assert.DoesNotContain("Tier__c", await ToolsListAsync(tenant));
        var record = await GetAsync(Server, $"{V}/sobjects/Account/{keptId}", tenant.ApiKey);
        Assert.Equal("Gold Co", record.Body.Str("Name"));
        Assert.DoesNotContain("Tier__c", record.Text);
        var recordPage = (await client.GetAsync($"/console/r/{keptId}")).Html;
        Assert.DoesNotContain("id=\"f-Tier__c\"", recordPage);
        Assert.Contains("<b>Tier__c</b>: (empty) → Gold", recordPage); // the history keeps what happened

        var audit = (await GetAsync(Server, "/api/audit", tenant.ApiKey)).Body.GetProperty("entries").EnumerateArray().First(e => e.Str("action") == "field.delete");
        Assert.Equal(("Account.Tier__c", "console", tenant.UserId), (audit.Str("target"), audit.Str("channel"), audit.Str("actor_id")));
        Assert.Contains("\"records_cleared\":2", audit.GetProperty("details").ToString());

        // Defined again, even as another type, the field starts empty: the record in the recycle bin comes back without the old value.
        await tenant.CallOkAsync("define_custom_field", new { @object = "Account", api_name = "Tier__c", type = "Number", precision = 5, scale = 0 });
        await tenant.CallOkAsync("delete_record", new { Id = binnedId, restore = true });
        foreach (string id in new[] { keptId, binnedId })
        {
            var again = await GetAsync(Server, $"{V}/sobjects/Account/{id}", tenant.ApiKey);
            Assert.Equal(JsonValueKind.Null, again.Body.GetProperty("Tier__c").ValueKind);
        }
    }

    [Fact]
    public async Task UsedByARuleOrAWebhookFilter_RefusedNamingThem_OverRestAndConsole_ThenDeletedOverRest()
    {
        var (tenant, client) = await SignedInTenantAsync("Field delete in use");
        using var _ = client;
        await using var receiver = await WebhookReceiver.StartAsync();
        await tenant.CallOkAsync("define_custom_field", new { @object = "Contact", api_name = "Score__c", type = "Number", precision = 5, scale = 0 });
        var rule = await SendJsonAsync(HttpMethod.Post, "/api/automation", tenant.ApiKey, new
        {
            name = "Hot contacts", @object = "Contact", trigger = new { on = "created_or_updated" }, condition = "Score__c > 80",
            actions = new object[] { new { type = "update_fields", fields = new { Title = "Hot" } } },
        });
        Assert.True(rule.Status == HttpStatusCode.Created, rule.Text);
        var hook = await SendJsonAsync(HttpMethod.Post, "/api/webhooks", tenant.ApiKey, new { url = receiver.Url().ToString(), secret = WebhookReceiver.Secret, fields = new[] { "Score__c" } });
        Assert.True(hook.Status == HttpStatusCode.Created, hook.Text);
        string ruleId = rule.Body.Str("id"), hookId = hook.Body.Str("id");

        var refused = await SendAsync(Server, HttpMethod.Delete, "/api/custom-fields/Contact/Score__c", tenant.ApiKey);
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Contains($"automation rule 'Hot contacts' ({ruleId})", refused.Body.Str("message"));
        Assert.Contains($"webhook {hookId}", refused.Body.Str("message"));
        Assert.Contains("Change or delete them first", refused.Body.Str("message"));

        await client.GetAsync("/console/admin/fields");
        var console = await client.PostAsync("/console/admin/fields/delete", new() { ["object"] = "Contact", ["field"] = "Score__c" });
        Assert.Equal(HttpStatusCode.Conflict, console.Status);
        Assert.Contains("role=\"alert\"", console.Html);
        Assert.Contains($"automation rule &#x27;Hot contacts&#x27; ({ruleId})", console.Html);
        Assert.True(await DescribeHasAsync(tenant, "Contact", "Score__c"));

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(Server, HttpMethod.Delete, $"/api/automation/{ruleId}", tenant.ApiKey)).Status);
        var stillHook = await SendAsync(Server, HttpMethod.Delete, "/api/custom-fields/Contact/Score__c", tenant.ApiKey);
        Assert.Equal(HttpStatusCode.Conflict, stillHook.Status);
        Assert.DoesNotContain("automation rule", stillHook.Body.Str("message"));
        Assert.Contains("Change or delete it first", stillHook.Body.Str("message"));
        Assert.True((await SendAsync(Server, HttpMethod.Delete, $"/api/webhooks/{hookId}", tenant.ApiKey)).Status is HttpStatusCode.NoContent or HttpStatusCode.OK);

        var deleted = await SendAsync(Server, HttpMethod.Delete, "/api/custom-fields/contact/score__c", tenant.ApiKey);
        Assert.True(deleted.Status == HttpStatusCode.OK, deleted.Text);
        Assert.Equal(("Contact", "Score__c", true, 0), (deleted.Body.Str("object"), deleted.Body.Str("field"), deleted.Body.GetProperty("deleted").GetBoolean(),
            deleted.Body.GetProperty("records_cleared").GetInt32()));
        Assert.False(await DescribeHasAsync(tenant, "Contact", "Score__c"));
        var audit = (await GetAsync(Server, "/api/audit", tenant.ApiKey)).Body.GetProperty("entries").EnumerateArray().First(e => e.Str("action") == "field.delete");
        Assert.Equal(("Contact.Score__c", "api"), (audit.Str("target"), audit.Str("channel")));
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(Server, HttpMethod.Delete, "/api/custom-fields/Contact/Score__c", tenant.ApiKey)).Status);
    }

    [Fact]
    public async Task AnotherTenantsField_IsNotFound_AndHostileNamesAndKeysChangeNothing()
    {
        var (victim, _) = (await Server.CreateTenantAsync("Field delete victim"), 0);
        await victim.CallOkAsync("define_custom_field", new { @object = "Account", api_name = "Secret__c", type = "Text" });
        var victimAccount = await SendJsonAsync(HttpMethod.Post, $"{V}/sobjects/Account", victim.ApiKey, new { Name = "Victim", Secret__c = "crown jewels" });
        var (attacker, client) = await SignedInTenantAsync("Field delete attacker");
        using var __ = client;
        await attacker.CallOkAsync("define_custom_field", new { @object = "Account", api_name = "Mine__c", type = "Text" });

        var rest = await SendAsync(Server, HttpMethod.Delete, "/api/custom-fields/Account/Secret__c", attacker.ApiKey);
        Assert.Equal(HttpStatusCode.NotFound, rest.Status);
        Assert.Contains("Its custom fields: Mine__c.", rest.Body.Str("message"));
        await client.GetAsync("/console/admin/fields");
        var console = await client.PostAsync("/console/admin/fields/delete", new() { ["object"] = "Account", ["field"] = "Secret__c", ["confirm"] = "yes" });
        Assert.Equal(HttpStatusCode.NotFound, console.Status);
        Assert.DoesNotContain("crown jewels", console.Html);

        var hostile = new (string Object, string Field, HttpStatusCode Status, string Says)[]
        {
            ("Account", "Secret__c'; DROP TABLE custom_field_definitions;--", HttpStatusCode.NotFound, "has no custom field"),
            ("Account", "Name", HttpStatusCode.NotFound, "has no custom field 'Name'"),
            ("Account", new string('x', 5000) + "__c", HttpStatusCode.NotFound, "…"),
            ("Nope__c", "Secret__c", HttpStatusCode.BadRequest, "is not an object"),
            ("Account", "%E2%80%AESecret__c", HttpStatusCode.NotFound, "has no custom field"),
        };
        foreach (var (obj, field, status, says) in hostile)
        {
            var reply = await SendAsync(Server, HttpMethod.Delete, $"/api/custom-fields/{Uri.EscapeDataString(obj)}/{Uri.EscapeDataString(field)}", attacker.ApiKey);
            Assert.True(reply.Status == status, $"{field[..Math.Min(30, field.Length)]}: {(int)reply.Status} {reply.Text[..Math.Min(300, reply.Text.Length)]}");
            Assert.Contains(says, reply.Body.Str("message"));
            Assert.True(reply.Body.Str("message").Length < 1000);
        }
        var markup = await client.PostAsync("/console/admin/fields/delete", new() { ["object"] = "Account", ["field"] = "<img src=x onerror=alert(1)>" });
        Assert.Equal(HttpStatusCode.NotFound, markup.Status);
        Assert.DoesNotContain("<img src=x", markup.Html);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/console/admin/fields/delete", new() { ["object"] = "Account", ["field"] = "Mine__c", ["confirm"] = "yes" }, withToken: false)).Status);

        var readKey = await SendJsonAsync(HttpMethod.Post, "/api/keys", attacker.ApiKey, new { scope = "write" });
        Assert.True(readKey.Status == HttpStatusCode.Created, readKey.Text);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(Server, HttpMethod.Delete, "/api/custom-fields/Account/Mine__c", readKey.Body.Str("api_key"))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(Server, HttpMethod.Delete, "/api/custom-fields/Account/Mine__c", null)).Status);

        Assert.True(await DescribeHasAsync(attacker, "Account", "Mine__c"));
        Assert.True(await DescribeHasAsync(victim, "Account", "Secret__c"));
        var still = await GetAsync(Server, $"{V}/sobjects/Account/{victimAccount.Body.Str("id")}", victim.ApiKey);
        Assert.Equal("crown jewels", still.Body.Str("Secret__c"));
    }
}
