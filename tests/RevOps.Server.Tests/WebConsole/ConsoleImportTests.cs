using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using static RevOps.Server.Tests.ApiClient;

namespace RevOps.Server.Tests.WebConsole;

/// <summary>
/// The console's CSV import over HTTP on the real server: upload, the mapping pre-filled by revops import's header matching,
/// the import in the background, its progress, the exact records created, the rows not written as a CSV and the change log;
/// bad files, bad mappings and non-admins change nothing; another tenant's import is not found.
/// </summary>
public sealed partial class ConsoleImportTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    const string V = "services/data/v60.0";

    const string Csv =
        "First Name,LastName,Email,Account Name,Id,Shoe Size\r\n" +
        "Ada,Lovelace,ada@import.test,Analytical Engines,003000000000000AAA,41\r\n" +
        "Grace,,grace@import.test,,,38\r\n" +
        "Alan,Turing,not-an-email,,,44\r\n" +
        "Linus,Torvalds,linus@import.test,Nowhere Inc,,45\r\n" +
        "Ken,Thompson,ken@import.test,,,\r\n";

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    async Task<(TestTenant Tenant, ConsoleClient Client)> SignedInTenantAsync(string name)
    {
        var tenant = await server.CreateTenantAsync(name);
        await ConsoleClient.SetPasswordAsync(server, tenant);
        return (tenant, await ConsoleClient.SignedInAsync(server, tenant.Username));
    }

    static Dictionary<string, string> Selected(string html)
    {
        var picked = new Dictionary<string, string>();
        foreach (Match select in SelectOf().Matches(html))
        {
            var chosen = SelectedOption().Match(select.Groups[2].Value);
            picked[select.Groups[1].Value] = chosen.Success ? WebUtility.HtmlDecode(chosen.Groups[1].Value) : "";
        }
        return picked;
    }

    static string Hidden(string html, string name) => WebUtility.HtmlDecode(Regex.Match(html, $"name=\"{name}\" value=\"([^\"]*)\"").Groups[1].Value);

    async Task<ConsoleClient.Reply> UploadAsync(ConsoleClient client, string obj, string csv, string fileName = "contacts.csv")
    {
        await client.GetAsync("/console/admin/import");
        return await client.PostMultipartAsync("/console/admin/import", new() { ["object"] = obj }, ("file", fileName, Encoding.UTF8.GetBytes(csv)));
    }

    static async Task<ConsoleClient.Reply> FinishedAsync(ConsoleClient client, string path)
    {
        for (int i = 0; i < 100; i++)
        {
            var page = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            if (page.Html.Contains("data-state=\"finished\"", StringComparison.Ordinal)) return page;
            await Task.Delay(100, Ct);
        }
        throw new TimeoutException($"{path} did not finish in 10 s");
    }

    static string Figure(string html, string name) => Regex.Match(html, $"data-figure=\"{name}\">([^<]*)<").Groups[1].Value;

    [Fact]
    public async Task Import_GoodAndBadRows_CreatesExactlyTheGoodOnes_ErrorsFileNamesTheRest_ChangeLogSaysConsole()
    {
        var (tenant, client) = await SignedInTenantAsync("Console import");
        using var _ = client;
        string account = (await tenant.CallOkAsync("create_account", new { Name = "Analytical Engines" })).Str("Id");

        var mapping = await UploadAsync(client, "Contact", Csv);
        Assert.True(mapping.Status == HttpStatusCode.OK, $"{(int)mapping.Status} {mapping.Html}");
        Assert.Contains("contacts.csv: 5 rows, 6 columns.", mapping.Html);
        var picked = Selected(mapping.Html);
        // Label, API name, a parent by its report label; the system Id and an unknown header are left out.
        Assert.Equal(new Dictionary<string, string> { ["map0"] = "FirstName", ["map1"] = "LastName", ["map2"] = "Email", ["map3"] = "Account.Name", ["map4"] = "", ["map5"] = "" }, picked);
        Assert.Equal(Csv, Hidden(mapping.Html, "csv").Replace("\r\n", "\n").Replace("\n", "\r\n"));

        var started = await client.PostMultipartAsync("/console/admin/import/start",
            new(picked) { ["object"] = "Contact", ["file_name"] = "contacts.csv", ["csv"] = Hidden(mapping.Html, "csv") });
        Assert.True(started.Status == HttpStatusCode.Redirect, $"{(int)started.Status} {started.Html}");
        Assert.Matches("^/console/admin/import/[0-9a-f]{32}$", started.Location);

        var done = await FinishedAsync(client, started.Location!);
        Assert.Equal(("5", "2", "3", "0"), (Figure(done.Html, "rows"), Figure(done.Html, "created"), Figure(done.Html, "failed"), Figure(done.Html, "skipped")));
        Assert.Contains("contacts.csv (5 rows)", done.Html);

        var errors = await client.GetAsync(started.Location + "/errors.csv");
        Assert.Equal(HttpStatusCode.OK, errors.Status);
        var lines = errors.Html.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Equal("Row,Column,Value,Reason", lines[0]);
        Assert.Equal("2,LastName,,REQUIRED_FIELD_MISSING: Contact.LastName is required. Send a value for 'LastName'.", lines[1]);
        Assert.Matches("^3,Email,not-an-email,INVALID_FIELD_VALUE: [^,]*'not-an-email' is not a valid email address. Send it as name@example.com.$", lines[2]);
        Assert.Equal("4,Account Name,Nowhere Inc,\"INVALID_CROSS_REFERENCE_KEY: No Account has Name 'Nowhere Inc'. Import it first, or run with --create-missing-parents.\"", lines[3]);
        Assert.Contains("<tr data-row=\"3\"><td>3</td><td>Email</td><td>not-an-email</td>", done.Html);

        var query = await GetAsync(server, $"{V}/query?q={Uri.EscapeDataString("SELECT Id, FirstName, LastName, Email, AccountId FROM Contact ORDER BY LastName")}", tenant.ApiKey);
        var records = query.Body.GetProperty("records").EnumerateArray().ToArray();
        Assert.Equal(
            [("Ada", "Lovelace", "ada@import.test", account), ("Ken", "Thompson", "ken@import.test", "")],
            records.Select(r => (r.Str("FirstName"), r.Str("LastName"), r.Str("Email"), r.GetProperty("AccountId").ValueKind == JsonValueKind.Null ? "" : r.Str("AccountId"))));

        using var changes = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseUri, "api/changes?since=0")) { Headers = { Authorization = new("Bearer", tenant.ApiKey) } }, Ct);
        var log = (await changes.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .Where(l => l.Str("object") == "Contact").ToArray();
        Assert.Equal(records.Select(r => r.Str("Id")).Order(), log.Select(l => l.Str("recordId")).Order());
        Assert.All(log, l => Assert.Equal(("created", "console", tenant.UserId), (l.Str("operation"), l.Str("channel"), l.GetProperty("actor").Str("Id"))));

        // The same file with the same mapping again: refused, nothing written, unless "Import again" is ticked.
        await client.GetAsync("/console/admin/import");
        var again = await client.PostMultipartAsync("/console/admin/import/start",
            new(picked) { ["object"] = "Contact", ["file_name"] = "contacts.csv", ["csv"] = Hidden(mapping.Html, "csv") });
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Contains("This file was already imported into Contact with this mapping", again.Html);
        Assert.Equal(2, (await GetAsync(server, $"{V}/query?q={Uri.EscapeDataString("SELECT Id FROM Contact")}", tenant.ApiKey)).Body.GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task Import_BadFileObjectOrMapping_Is400WithTheReason_AndWritesNothing()
    {
        var (tenant, client) = await SignedInTenantAsync("Console import bad");
        using var _ = client;

        var cases = new (string Object, string Csv, string Message)[]
        {
            ("Gadget", "LastName\r\nX\r\n", "&#x27;Gadget&#x27; is not an object that takes imports; pick one of Account, Contact"),
            ("Contact", "LastName\r\n", "The file has a header but no rows"),
            ("Contact", "", "Choose a CSV file to import"),
        };
        foreach (var (obj, csv, message) in cases)
        {
            var reply = await UploadAsync(client, obj, csv);
            Assert.True(reply.Status == HttpStatusCode.BadRequest, $"{obj}/{csv}: {(int)reply.Status}");
            Assert.Contains(message, reply.Html);
        }
        await client.GetAsync("/console/admin/import");
        var notUtf8 = await client.PostMultipartAsync("/console/admin/import", new() { ["object"] = "Contact" }, ("file", "latin1.csv", [.. "LastName\r\nM"u8, 0xFC, .. "ller\r\n"u8]));
        Assert.Equal(HttpStatusCode.BadRequest, notUtf8.Status);
        Assert.Contains("latin1.csv is not UTF-8 text.", notUtf8.Html);

        var mapping = await UploadAsync(client, "Contact", "A,B\r\nx,y\r\n");
        string csvField = Hidden(mapping.Html, "csv");
        var mappings = new (Dictionary<string, string> Map, string Message)[]
        {
            (new() { ["map0"] = "LastName", ["map1"] = "LastName" }, "Columns &#x27;LastName&#x27; and &#x27;LastName&#x27; both set Contact.LastName"),
            (new() { ["map0"] = "LastName", ["map1"] = "CreatedDate" }, "Column &#x27;B&#x27; is mapped to &#x27;CreatedDate&#x27;, which is not a field Contact takes on import."),
            (new() { ["map0"] = "", ["map1"] = "" }, "Map at least one column to a field."),
        };
        foreach (var (map, message) in mappings)
        {
            var reply = await client.PostMultipartAsync("/console/admin/import/start", new(map) { ["object"] = "Contact", ["file_name"] = "ab.csv", ["csv"] = csvField });
            Assert.True(reply.Status == HttpStatusCode.BadRequest, $"{string.Join(",", map.Values)}: {(int)reply.Status} {reply.Html}");
            Assert.Contains(message, reply.Html);
        }
        var unknown = await client.GetAsync("/console/admin/import/0123456789abcdef0123456789abcdef");
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/console/admin/import/..%2F..%2Fetc/errors.csv")).Status);
        Assert.Equal(0, (await GetAsync(server, $"{V}/query?q={Uri.EscapeDataString("SELECT Id FROM Contact")}", tenant.ApiKey)).Body.GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task Import_NonAdminGets403_AndAnotherTenantsImportIsNotFound()
    {
        var (tenant, admin) = await SignedInTenantAsync("Console import owner");
        using var _ = admin;
        var mapping = await UploadAsync(admin, "Contact", "LastName\r\nOnly\r\n");
        var started = await admin.PostMultipartAsync("/console/admin/import/start", new() { ["map0"] = "LastName", ["object"] = "Contact", ["file_name"] = "one.csv", ["csv"] = Hidden(mapping.Html, "csv") });
        Assert.Equal(HttpStatusCode.Redirect, started.Status);
        await FinishedAsync(admin, started.Location!);

        var (_, stranger) = await SignedInTenantAsync("Console import stranger");
        using var __ = stranger;
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(started.Location!)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(started.Location + "/errors.csv")).Status);

        await admin.GetAsync("/console/admin");
        string email = $"rep.{Guid.NewGuid():N}@import.test";
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostAsync("/console/admin/users", new() { ["email"] = email, ["name"] = "Ray Rep", ["password"] = "ray's long password", ["admin"] = "false" })).Status);
        using var rep = await ConsoleClient.SignedInAsync(server, email, "ray's long password");
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.GetAsync("/console/admin/import")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.GetAsync(started.Location!)).Status);
        await rep.GetAsync("/console/usage");
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PostMultipartAsync("/console/admin/import", new() { ["object"] = "Contact" }, ("file", "x.csv", "LastName\r\nSneaky\r\n"u8.ToArray()))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PostMultipartAsync("/console/admin/import/start", new() { ["map0"] = "LastName", ["object"] = "Contact", ["csv"] = "LastName\r\nSneaky\r\n" })).Status);
        // Without the antiforgery token: 400, nothing written.
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostMultipartAsync("/console/admin/import/start", new() { ["map0"] = "LastName", ["object"] = "Contact", ["csv"] = "LastName\r\nForged\r\n" }, withToken: false)).Status);
        var names = (await GetAsync(server, $"{V}/query?q={Uri.EscapeDataString("SELECT LastName FROM Contact")}", tenant.ApiKey)).Body.GetProperty("records").EnumerateArray().Select(r => r.Str("LastName"));
        Assert.Equal(["Only"], names);
    }

    [GeneratedRegex("<select id=\"(map\\d+)\" name=\"map\\d+\">(.*?)</select>", RegexOptions.Singleline)]
    private static partial Regex SelectOf();

    [GeneratedRegex("<option value=\"([^\"]*)\" selected>")]
    private static partial Regex SelectedOption();
}
