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

    /// <summary>axe-core's WCAG 2 A and AA rules (labels, names, contrast, ARIA) on the page as it stands.</summary>
    static async Task AssertAccessibleAsync(IPage page, string what)
    {
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
}
