using System.Diagnostics;
using System.Net;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static RevOps.Server.Tests.ApiClient;

namespace RevOps.Server.Tests.WebConsole;

/// <summary>
/// The console in a real browser: Playwright driving Debian's chromium (REVOPS_CHROMIUM, default /usr/bin/chromium;
/// `.ci/run` installs it) against the real server. One user's morning: sign in (after a wrong password), drag a deal
/// to the next stage, move another with the keyboard, edit a contact, see it in the history and undo it, search,
/// and watch a change made over MCP arrive in the live feed. The page logs no console errors (CSP violations included).
/// </summary>
public sealed class ConsoleBrowserTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    const string V = "services/data/v60.0";

    static string Chromium => Environment.GetEnvironmentVariable("REVOPS_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    async Task<string> RestFieldAsync(TestTenant tenant, string type, string id, string field)
    {
        var reply = await GetAsync(server, $"{V}/sobjects/{type}/{id}", tenant.ApiKey);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        return reply.Body.Str(field);
    }

    /// <summary>
    /// Where each checked page's screenshot is kept as test output (REVOPS_SCREENSHOTS, default beside the test
    /// assembly): what a reviewer opens to see the pages CI saw.
    /// </summary>
    static string ScreenshotDirectory => Environment.GetEnvironmentVariable("REVOPS_SCREENSHOTS") is { Length: > 0 } dir
        ? dir : Path.Combine(AppContext.BaseDirectory, "console-screenshots");

    static async Task KeepScreenshotAsync(IPage page, string what)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        string file = Path.Combine(ScreenshotDirectory, what.Replace(' ', '-').Replace('/', '-') + ".png");
        byte[] png = await page.ScreenshotAsync(new() { Path = file, FullPage = true });
        Assert.True(png.Length > 1_000 && png[..4].SequenceEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }), $"{what}: no screenshot");
        Assert.Equal(png.Length, new FileInfo(file).Length);
    }

    /// <summary>axe-core's WCAG 2 A and AA rules (labels, names, contrast, ARIA) on the page as it stands; its screenshot is kept.</summary>
    static async Task AssertAccessibleAsync(IPage page, string what)
    {
        await KeepScreenshotAsync(page, what);
        var result = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa"] } });
        Assert.Contains(result.Passes, rule => rule.Id == "color-contrast"); // the checks ran, contrast among them
        Assert.True(result.Violations.Length == 0,
            $"{what}: " + string.Join("; ", result.Violations.Select(v => $"{v.Id} ({v.Help}) at {string.Join(", ", v.Nodes.Select(n => n.Html))}")));
    }

    [Fact]
    public async Task SignInMoveEditUndoSearchAndLiveFeed_InChromium()
    {
        Assert.True(File.Exists(Chromium), $"No browser at {Chromium}: install Debian's chromium (apt-get install -y chromium) or set REVOPS_CHROMIUM.");
        var tenant = await server.CreateTenantAsync("Console browser");
        await ConsoleClient.SetPasswordAsync(server, tenant);
        string acme = (await tenant.CallOkAsync("create_account", new { Name = "Acme Browser" })).Str("Id");
        string ada = (await tenant.CallOkAsync("create_contact", new { FirstName = "Ada", LastName = "Lovelace", AccountId = acme, Title = "Engineer" })).Str("Id");
        string dragged = (await tenant.CallOkAsync("create_opportunity", new { Name = "Dragged deal", StageName = "Prospecting", CloseDate = "2030-02-28", Amount = 5000 })).Str("Id");
        string keyed = (await tenant.CallOkAsync("create_opportunity", new { Name = "Keyboard deal", StageName = "Prospecting", CloseDate = "2030-02-28", Amount = 700 })).Str("Id");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync(new() { BaseURL = server.BaseUri.ToString() });
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        page.PageError += (_, error) => errors.Add(error);

        // Sign in: / leads to the sign-in form; a wrong password is said so; the right one opens the board.
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/sign-in"));
        await AssertAccessibleAsync(page, "sign-in");
        await page.GetByLabel("Email").FillAsync(tenant.Username);
        await page.GetByLabel("Password").FillAsync("wrong password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Wrong email or password.");
        // The refusal is a 401, which Chromium logs as a failed load: the one error this flow expects.
        Assert.Equal([401], errors.Select(e => e.Contains("status of 401", StringComparison.Ordinal) ? 401 : 0));
        errors.Clear();
        await page.GetByLabel("Password").FillAsync(ConsoleClient.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/board$"));

        await AssertAccessibleAsync(page, "board");
        // The navigation names lists as Salesforce does, not by appending an s.
        var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Opportunities", Exact = true })).ToHaveAttributeAsync("href", "/console/o/Opportunity");
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Content Versions", Exact = true })).ToBeVisibleAsync();

        // Drag a card to the next column: the stage changes through the domain, as the API shows.
        await page.Locator($".card[data-id='{dragged}']").DragToAsync(page.Locator("section.column[data-stage='Qualification']"));
        await Expect(page.Locator($"section.column[data-stage='Qualification'] .card[data-id='{dragged}']")).ToBeVisibleAsync();
        Assert.Equal("Qualification", await RestFieldAsync(tenant, "Opportunity", dragged, "StageName"));
        await Expect(page.Locator("section.column[data-stage='Qualification'] .total")).ToHaveTextAsync("5,000");

        // The same move without a mouse: the card's stage list, then Tab to Move and Enter.
        var stage = page.GetByLabel("Stage of Keyboard deal");
        await stage.FocusAsync();
        await stage.SelectOptionAsync("Needs Analysis");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator($"section.column[data-stage='Needs Analysis'] .card[data-id='{keyed}']")).ToBeVisibleAsync();
        Assert.Equal("Needs Analysis", await RestFieldAsync(tenant, "Opportunity", keyed, "StageName"));

        // Edit a contact, see the change in its history, undo it.
        await page.GotoAsync($"/console/r/{ada}");
        await page.GetByLabel("Title", new() { Exact = true }).FillAsync("CTO");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        var history = page.Locator("section.history");
        await AssertAccessibleAsync(page, "record");
        await Expect(history).ToContainTextAsync("Title: Engineer → CTO");
        Assert.Equal("CTO", await RestFieldAsync(tenant, "Contact", ada, "Title"));
        await history.Locator("tbody tr").First.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(history.Locator("tbody tr").First).ToContainTextAsync("Title: CTO → Engineer");
        Assert.Equal("Engineer", await RestFieldAsync(tenant, "Contact", ada, "Title"));

        // The global search box runs the agents' search.
        await page.GetByLabel("Search", new() { Exact = true }).FillAsync("lovelace");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Ada Lovelace" })).ToBeVisibleAsync();

        // The live feed: a change made over MCP shows within 2 s.
        await page.GotoAsync("/console/feed");
        await Expect(page.Locator("#feed-status")).ToContainTextAsync("Live");
        await AssertAccessibleAsync(page, "live feed");
        var clock = Stopwatch.StartNew();
        await tenant.CallOkAsync("update_contact", new { Id = ada, Title = "Countess" });
        await Expect(page.Locator($"#feed li[data-seq]:has(a[href='/console/r/{ada}'])").First).ToContainTextAsync("Title", new() { Timeout = 2000 });
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"the change took {clock.Elapsed.TotalMilliseconds:0} ms to appear");

        // An admin creates a read key for an agent; its secret, shown once, works on the API.
        await page.GetByRole(AriaRole.Link, new() { Name = "Admin" }).ClickAsync();
        await AssertAccessibleAsync(page, "admin");
        await page.GetByLabel("Scope").SelectOptionAsync("read");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        string secret = (await page.Locator("#new-key").TextContentAsync())!;
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(server, $"{V}/sobjects/Account", secret)).Status);

        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    static async Task SignInAsync(IPage page, string username)
    {
        await page.GotoAsync("/console/sign-in");
        await page.GetByLabel("Email").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(ConsoleClient.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/board$"));
    }

    /// <summary>The page is no wider than the screen: nothing to scroll sideways on a 375 px phone.</summary>
    static async Task AssertFitsAsync(IPage page, string what)
    {
        int width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        if (width <= 375) return;
        // Where the overflow starts: elements past the right edge whose parent is not.
        string culprits = await page.EvaluateAsync<string>("""
            () => [...document.querySelectorAll('body *')]
              .filter(e => e.getBoundingClientRect().right > 376 && e.parentElement.getBoundingClientRect().right <= 376)
              .slice(0, 5).map(e => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().width)}px`).join('; ')
            """);
        Assert.Fail($"{what} is {width} px wide on a 375 px screen: {culprits}");
    }

    [Fact]
    public async Task UsageAdminAndOperatorPages_PassAxe_AndBoardAndRecordFitA375PxScreen_InChromium()
    {
        Assert.True(File.Exists(Chromium), $"No browser at {Chromium}: install Debian's chromium (apt-get install -y chromium) or set REVOPS_CHROMIUM.");
        var tenant = await server.CreateTenantAsync("Console browser admin");
        await ConsoleClient.SetPasswordAsync(server, tenant);
        string acme = (await tenant.CallOkAsync("create_account", new { Name = "Acme Narrow" })).Str("Id");
        string ada = (await tenant.CallOkAsync("create_contact", new { FirstName = "Ada", LastName = "Lovelace", AccountId = acme, Title = "Engineer", Email = "ada.lovelace@analytical-engines.example" })).Str("Id");
        for (int i = 0; i < 3; i++)
            await tenant.CallOkAsync("create_opportunity", new { Name = $"Narrow deal {i}", StageName = "Prospecting", CloseDate = "2030-02-28", Amount = 1000 * (i + 1), AccountId = acme });
        Assert.True((await tenant.CallAsync("get_contact", new { Id = "bad" })).IsError);
        await UsageOnceFlushedAsync(server, tenant.ApiKey, 6);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync(new() { BaseURL = server.BaseUri.ToString() });
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        page.PageError += (_, error) => errors.Add(error);
        await SignInAsync(page, tenant.Username);

        await page.GetByRole(AriaRole.Link, new() { Name = "Usage" }).ClickAsync();
        await Expect(page.Locator("[data-figure=requests]")).ToHaveTextAsync("6");
        await Expect(page.Locator("#chart-days")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "usage");

        // Custom fields: define one with the keyboard-reachable form; it is listed at once.
        await page.GotoAsync("/console/admin/fields");
        await page.GetByLabel("Object").SelectOptionAsync("Contact");
        await page.GetByLabel("API name (ends in __c)").FillAsync("Shoe_Size__c");
        await page.GetByLabel("Type").SelectOptionAsync("Number");
        await page.GetByRole(AriaRole.Button, new() { Name = "Define field" }).ClickAsync();
        await Expect(page.Locator("tr[data-field='Contact.Shoe_Size__c']")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "custom fields");
        // Delete asks first, on a page of its own; "Keep it" leaves the field (the import below uses it).
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete Contact.Shoe_Size__c" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Delete Contact.Shoe_Size__c?");
        await AssertAccessibleAsync(page, "custom field delete confirmation");
        await page.GetByRole(AriaRole.Link, new() { Name = "Keep it" }).ClickAsync();
        await Expect(page.Locator("tr[data-field='Contact.Shoe_Size__c']")).ToBeVisibleAsync();

        // Webhooks: create one (a public address; its deliveries just retry), then its delivery log.
        await page.GotoAsync("/console/admin/webhooks");
        await page.GetByLabel("URL", new() { Exact = true }).FillAsync("https://1.1.1.1/browser-hook");
        await page.GetByLabel("Contact", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create webhook" }).ClickAsync();
        await Expect(page.Locator("#new-secret")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "webhooks");
        await page.Locator("#webhooks tbody a").First.ClickAsync();
        await Expect(page.Locator("#deliveries")).ToBeAttachedAsync();
        await AssertAccessibleAsync(page, "delivery log");

        await page.GotoAsync("/console/admin/audit");
        await Expect(page.Locator("#audit")).ToContainTextAsync("field.define");
        await AssertAccessibleAsync(page, "audit log");

        // Import: upload a CSV, keep the columns as matched (the custom field by its label), start, watch it finish, one row refused.
        await page.GotoAsync("/console/admin/import");
        await AssertAccessibleAsync(page, "import upload");
        await page.GetByLabel("Object").SelectOptionAsync("Contact");
        await page.GetByLabel("CSV file (UTF-8, up to 10 MB)").SetInputFilesAsync(new FilePayload
        {
            Name = "browser.csv", MimeType = "text/csv",
            Buffer = "First Name,Last Name,Shoe Size,Account Name\r\nGrace,Hopper,38,Acme Narrow\r\nNo,Account,40,Missing Co\r\n"u8.ToArray(),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Read columns" }).ClickAsync();
        await Expect(page.Locator("#map2")).ToHaveValueAsync("Shoe_Size__c");
        await Expect(page.Locator("#map3")).ToHaveValueAsync("Account.Name");
        await AssertAccessibleAsync(page, "import mapping");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start import" }).ClickAsync();
        await Expect(page.Locator("#import[data-state=finished]")).ToBeAttachedAsync(new() { Timeout = 15_000 });
        await Expect(page.Locator("[data-figure=created]")).ToHaveTextAsync("1");
        await Expect(page.Locator("[data-figure=failed]")).ToHaveTextAsync("1");
        await Expect(page.Locator("#import-errors tr[data-row='2']")).ToContainTextAsync("Missing Co");
        await AssertAccessibleAsync(page, "import progress");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#errors-file").ClickAsync());
        string errorsFile = await File.ReadAllTextAsync(await download.PathAsync(), TestContext.Current.CancellationToken);
        Assert.StartsWith("Row,Column,Value,Reason\r\n2,Account Name,Missing Co,\"INVALID_CROSS_REFERENCE_KEY: No Account has Name 'Missing Co'.", errorsFile);
        var grace = await GetAsync(server, $"{V}/query?q={Uri.EscapeDataString("SELECT AccountId, Shoe_Size__c FROM Contact WHERE LastName = 'Hopper'")}", tenant.ApiKey);
        var hopper = grace.Body.GetProperty("records").EnumerateArray().Single();
        Assert.Equal((acme, 38.0), (hopper.Str("AccountId"), hopper.GetProperty("Shoe_Size__c").GetDouble()));

        // The operator, in a browser context of its own (no tenant cookie): sign-in, tenants, one tenant's usage.
        await using var operatorContext = await browser.NewContextAsync(new() { BaseURL = server.BaseUri.ToString() });
        var op = await operatorContext.NewPageAsync();
        op.PageError += (_, error) => errors.Add(error);
        await op.GotoAsync("/console/operator");
        await Expect(op).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/operator/sign-in"));
        await AssertAccessibleAsync(op, "operator sign-in");
        await op.GetByLabel("Admin token").FillAsync(server.AdminToken);
        await op.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // The 6 calls above and the import step's SOQL query over REST.
        await Expect(op.Locator($"tr[data-tenant='{tenant.TenantId}'] [data-figure=requests]")).ToHaveTextAsync("7");
        await AssertAccessibleAsync(op, "operator tenants");
        await op.GetByRole(AriaRole.Link, new() { Name = "Console browser admin" }).ClickAsync();
        await Expect(op.Locator("[data-figure=total]")).ToHaveTextAsync("USD 49.00");
        await AssertAccessibleAsync(op, "operator tenant usage");

        // A 375 px phone: the board and a record page scroll down, never sideways.
        await using var phone = await browser.NewContextAsync(new() { BaseURL = server.BaseUri.ToString(), ViewportSize = new() { Width = 375, Height = 812 } });
        var narrow = await phone.NewPageAsync();
        narrow.PageError += (_, error) => errors.Add(error);
        await SignInAsync(narrow, tenant.Username);
        await Expect(narrow.Locator(".card").First).ToBeVisibleAsync();
        await AssertFitsAsync(narrow, "the board");
        await narrow.GotoAsync($"/console/r/{ada}");
        await Expect(narrow.Locator("section.history")).ToBeAttachedAsync();
        await AssertFitsAsync(narrow, "a record page");
        await narrow.GotoAsync("/console/usage");
        await AssertFitsAsync(narrow, "the usage page");
        await narrow.GotoAsync("/console/admin/import");
        await AssertFitsAsync(narrow, "the import page");

        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
