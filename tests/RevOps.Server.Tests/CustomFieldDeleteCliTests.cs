using System.Diagnostics;
using System.Net;
using System.Text.Json;
using static RevOps.Server.Tests.ApiClient;

namespace RevOps.Server.Tests;

/// <summary>
/// `revops field delete` on a running server's database: the same removal as the console and DELETE /api/custom-fields
/// (values cleared, audited with channel cli and the count), and the same refusals (unknown object or field, in use by a
/// rule, another tenant's field) as a non-zero exit with the message on stderr, changing nothing.
/// </summary>
public sealed class CustomFieldDeleteCliTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    const string V = "services/data/v60.0";

    Task<Reply> PostJsonAsync(string path, string key, object body) => SendAsync(server, HttpMethod.Post, path, key, JsonSerializer.Serialize(body));

    async Task<bool> DescribeHasAsync(TestTenant tenant, string obj, string field) =>
        (await GetAsync(server, $"{V}/sobjects/{obj}/describe", tenant.ApiKey)).Body.GetProperty("fields").EnumerateArray().Any(f => f.Str("name") == field);

    /// <summary>
    /// The server hears of nothing the CLI does and reads the schema again within <c>SchemaService.RefreshAfter</c> (5 s);
    /// this waits up to twice that for describe to drop the field.
    /// </summary>
    async Task<bool> DescribeDropsAsync(TestTenant tenant, string obj, string field)
    {
        var clock = Stopwatch.StartNew();
        while (await DescribeHasAsync(tenant, obj, field))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10)) return false;
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
        return true;
    }

    Task<Cli.Output> DeleteAsync(TestTenant tenant, string obj, string field) =>
        Cli.RunAsync("field", "delete", "--tenant", tenant.TenantId, "--object", obj, "--field", field, "--data", server.DataDirectory);

    [Fact]
    public async Task Deleted_ValuesCleared_DescribeDropsIt_AuditedAsCli()
    {
        var tenant = await server.CreateTenantAsync("Field delete cli");
        await tenant.CallOkAsync("define_custom_field", new { @object = "Account", api_name = "Tier__c", type = "Text" });
        var gold = await PostJsonAsync($"{V}/sobjects/Account", tenant.ApiKey, new { Name = "Gold Co", Tier__c = "Gold" });
        var plain = await PostJsonAsync($"{V}/sobjects/Account", tenant.ApiKey, new { Name = "Plain Co" });
        Assert.True(gold.Status == HttpStatusCode.Created, gold.Text);
        Assert.Equal(HttpStatusCode.Created, plain.Status);
        string goldId = gold.Body.Str("id");
        Assert.Equal("Gold", (await GetAsync(server, $"{V}/sobjects/Account/{goldId}", tenant.ApiKey)).Body.Str("Tier__c"));

        var deleted = await DeleteAsync(tenant, "account", "tier__c");
        Assert.True(deleted.ExitCode == 0, deleted.StdErr);
        Assert.Equal("Deleted Account.Tier__c; cleared its value from 1 record.", deleted.StdOut.Trim());
        Assert.Equal("", deleted.StdErr);

        Assert.True(await DescribeDropsAsync(tenant, "Account", "Tier__c"), "describe still lists Tier__c 10 s after the CLI deleted it");
        var record = await GetAsync(server, $"{V}/sobjects/Account/{goldId}", tenant.ApiKey);
        Assert.Equal("Gold Co", record.Body.Str("Name"));
        Assert.DoesNotContain("Tier__c", record.Text);
        Assert.DoesNotContain("Gold\"", record.Text.Replace("Gold Co", ""));

        var audit = (await GetAsync(server, "/api/audit", tenant.ApiKey)).Body.GetProperty("entries").EnumerateArray().First(e => e.Str("action") == "field.delete");
        Assert.Equal(("Account.Tier__c", "cli", "cli"), (audit.Str("target"), audit.Str("channel"), audit.Str("actor_id")));
        Assert.Contains("\"records_cleared\":1", audit.GetProperty("details").ToString());

        var again = await DeleteAsync(tenant, "Account", "Tier__c");
        Assert.NotEqual(0, again.ExitCode);
        Assert.Equal("error: Account has no custom field 'Tier__c'; it has no custom fields at all.", again.StdErr.Trim());
        Assert.Equal("", again.StdOut);
    }

    [Fact]
    public async Task UnknownFieldOrObject_OrUsedByARule_ExitsNonZero_WithTheMessage_ChangingNothing()
    {
        var tenant = await server.CreateTenantAsync("Field delete cli refusals");
        await tenant.CallOkAsync("define_custom_field", new { @object = "Contact", api_name = "Score__c", type = "Number", precision = 5, scale = 0 });
        var contact = await PostJsonAsync($"{V}/sobjects/Contact", tenant.ApiKey, new { LastName = "Kept", Score__c = 90 });
        Assert.True(contact.Status == HttpStatusCode.Created, contact.Text);

        var unknownField = await DeleteAsync(tenant, "Contact", "Nope__c");
        Assert.NotEqual(0, unknownField.ExitCode);
        Assert.Equal("error: Contact has no custom field 'Nope__c'. Its custom fields: Score__c.", unknownField.StdErr.Trim());
        var unknownObject = await DeleteAsync(tenant, "Nope__c", "Score__c");
        Assert.NotEqual(0, unknownObject.ExitCode);
        Assert.StartsWith("error: object 'Nope__c' is not an object. Send one of: Account, Contact,", unknownObject.StdErr.Trim());

        var rule = await PostJsonAsync("/api/automation", tenant.ApiKey, new
        {
            name = "Hot contacts", @object = "Contact", trigger = new { on = "created_or_updated" }, condition = "Score__c > 80",
            actions = new object[] { new { type = "update_fields", fields = new { Title = "Hot" } } },
        });
        Assert.True(rule.Status == HttpStatusCode.Created, rule.Text);
        var inUse = await DeleteAsync(tenant, "Contact", "Score__c");
        Assert.NotEqual(0, inUse.ExitCode);
        Assert.Contains($"Contact.Score__c is used by automation rule 'Hot contacts' ({rule.Body.Str("id")}). Change or delete it first, then delete the field.", inUse.StdErr);
        Assert.Equal("", inUse.StdOut);

        Assert.True(await DescribeHasAsync(tenant, "Contact", "Score__c"));
        var kept = await GetAsync(server, $"{V}/sobjects/Contact/{contact.Body.Str("id")}", tenant.ApiKey);
        Assert.Equal(90, kept.Body.GetProperty("Score__c").GetDouble());
        var audit = (await GetAsync(server, "/api/audit", tenant.ApiKey)).Body.GetProperty("entries").EnumerateArray();
        Assert.DoesNotContain(audit, e => e.Str("action") == "field.delete");
    }

    [Fact]
    public async Task AnotherTenantsField_CannotBeDeletedWithThisTenantsId()
    {
        var victim = await server.CreateTenantAsync("Field delete cli victim");
        await victim.CallOkAsync("define_custom_field", new { @object = "Account", api_name = "Secret__c", type = "Text" });
        var account = await PostJsonAsync($"{V}/sobjects/Account", victim.ApiKey, new { Name = "Victim", Secret__c = "crown jewels" });
        Assert.True(account.Status == HttpStatusCode.Created, account.Text);
        var attacker = await server.CreateTenantAsync("Field delete cli attacker");
        await attacker.CallOkAsync("define_custom_field", new { @object = "Account", api_name = "Mine__c", type = "Text" });

        var refused = await DeleteAsync(attacker, "Account", "Secret__c");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Equal("error: Account has no custom field 'Secret__c'. Its custom fields: Mine__c.", refused.StdErr.Trim());
        Assert.DoesNotContain("crown jewels", refused.StdErr + refused.StdOut);

        var badTenant = await Cli.RunAsync("field", "delete", "--tenant", "not-a-uuid", "--object", "Account", "--field", "Secret__c", "--data", server.DataDirectory);
        Assert.NotEqual(0, badTenant.ExitCode);
        Assert.Contains("'not-a-uuid' is not a tenant id", badTenant.StdErr);
        var noTenant = await Cli.RunAsync("field", "delete", "--tenant", Guid.NewGuid().ToString(), "--object", "Account", "--field", "Secret__c", "--data", server.DataDirectory);
        Assert.NotEqual(0, noTenant.ExitCode);
        Assert.Contains("no tenant", noTenant.StdErr);

        Assert.True(await DescribeHasAsync(victim, "Account", "Secret__c"));
        Assert.True(await DescribeHasAsync(attacker, "Account", "Mine__c"));
        Assert.Equal("crown jewels", (await GetAsync(server, $"{V}/sobjects/Account/{account.Body.Str("id")}", victim.ApiKey)).Body.Str("Secret__c"));
    }
}
