using System.Text.Json;

namespace RevOps.Server.Tests.AgentTasks;

/// <summary>
/// Requests worded by meaning, not by the words in the records (issue 20): numbers 35 to 40 of the report.
/// Each is one search_crm call on a server with semantic search on; the tenant holds the same small, realistic
/// book of business (with near misses for every question) and its index is caught up before the agent asks.
/// </summary>
[Collection(AgentTaskCollection.Name)]
public sealed class MeaningAgentTasks(SemanticServerFixture semantic, AgentTaskReport report, ITestOutputHelper output)
{
    /// <summary>The records each task looks for, by a short name.</summary>
    sealed class Book : Dictionary<string, string>;

    /// <summary>Seeds the book of business through the tenant (uncounted) and waits until the index holds every record.</summary>
    static async Task<Book> SeedAsync(TestTenant tenant)
    {
        var book = new Book();
        async Task<string> Add(string key, string tool, object fields)
        {
            string id = (await tenant.CallOkAsync(tool, fields)).Str("Id");
            book[key] = id;
            return id;
        }
        string nimbus = await Add("nimbus", "create_account", new { Name = "Nimbus Cloudworks", Industry = "Technology", Description = "Builds SaaS software for logistics teams." });
        string codeforge = await Add("codeforge", "create_account", new { Name = "Codeforge Labs", Industry = "Technology", Description = "Developer tools and a cloud software platform." });
        string mercy = await Add("mercy", "create_account", new { Name = "St. Mercy Health System", Industry = "Healthcare", Description = "Regional hospital network with twelve clinics." });
        string harbor = await Add("harbor", "create_account", new { Name = "Harbor Savings Bank", Industry = "Banking", Description = "Community bank." });
        string acres = await Add("acres", "create_account", new { Name = "Green Acres Produce", Industry = "Agriculture", Description = "Family farm growing vegetables." });

        await Add("vpEng", "create_contact", new { FirstName = "Maria", LastName = "Lopez", Title = "Vice President of Engineering", Department = "Engineering", AccountId = nimbus });
        await Add("vpSales", "create_contact", new { FirstName = "Tom", LastName = "Becker", Title = "VP, Sales", Department = "Sales", AccountId = codeforge });
        await Add("devOne", "create_contact", new { FirstName = "Ravi", LastName = "Shah", Title = "Software Engineer", Department = "Engineering", AccountId = codeforge });
        await Add("vpFarm", "create_contact", new { FirstName = "Lena", LastName = "Hart", Title = "Vice President of Operations", Department = "Operations", AccountId = acres });
        await Add("ceoHealth", "create_contact", new { FirstName = "Grace", LastName = "Okafor", Title = "Chief Executive Officer", Department = "Executive", AccountId = mercy });
        await Add("cmoHealth", "create_contact", new { FirstName = "David", LastName = "Kim", Title = "Chief Medical Officer", Department = "Executive", AccountId = mercy });
        await Add("nurse", "create_contact", new { FirstName = "Paula", LastName = "Reed", Title = "Staff Nurse", Department = "Nursing", AccountId = mercy });
        await Add("controller", "create_contact", new { FirstName = "Ann", LastName = "Ledger", Title = "Controller", Department = "Finance", AccountId = harbor });
        await Add("accountant", "create_contact", new { FirstName = "Omar", LastName = "Said", Title = "Senior Accountant", Department = "Finance", AccountId = acres });
        await Add("clerk", "create_contact", new { FirstName = "Bob", LastName = "Tiller", Title = "Warehouse Clerk", Department = "Logistics", AccountId = acres });

        await Add("securityDeal", "create_opportunity", new
        {
            Name = "Mercy patient portal", StageName = "Proposal/Price Quote", CloseDate = "2030-03-01", Amount = 120000, AccountId = mercy,
            Description = "Their CISO raised concerns about data protection and HIPAA; they want our penetration test report before signing.",
        });
        await Add("stuckDeal", "create_opportunity", new
        {
            Name = "Harbor core upgrade", StageName = "Negotiation/Review", CloseDate = "2030-02-01", Amount = 90000, AccountId = harbor,
            NextStep = "Still waiting on their legal team's redlines", Description = "Contract terms have gone back and forth for six weeks without agreement.",
        });
        await Add("newDeal", "create_opportunity", new
        {
            Name = "Codeforge seats", StageName = "Prospecting", CloseDate = "2030-05-01", Amount = 20000, AccountId = codeforge,
            NextStep = "Intro call", Description = "Early interest in adding seats for the new team.",
        });
        await Add("wonDeal", "create_opportunity", new
        {
            Name = "Green Acres cold storage", StageName = "Closed Won", CloseDate = "2029-11-01", Amount = 45000, AccountId = acres,
            Description = "Signed after a smooth pilot of the refrigeration monitoring.",
        });

        await Add("pricingTask", "create_task", new { Subject = "Send revised quote", WhatId = codeforge, Description = "They asked for a discount on the annual plan; prepare a cheaper option." });
        await Add("onsiteTask", "create_task", new { Subject = "Book the site visit", WhatId = acres, Description = "Drive out to see the barns and the loading dock." });
        await Add("renewalTask", "create_task", new { Subject = "Check in before renewal", WhatId = harbor, Description = "Ask how the branch staff are finding the new system." });

        // The agent asks once the index has caught up: poll until a meaning search holds every record of the tenant.
        await SemanticSearchTests.SearchUntilAsync(tenant, new { text = "anything", mode = "semantic", limit = 200 },
            f => f.GetProperty("records").GetArrayLength() == book.Count, SemanticSearchTests.FirstIndex);
        return book;
    }

    async Task<(JsonElement Found, Book Book)> AskOnceAsync(int number, string question, object arguments)
    {
        var (tenant, agent) = await AgentSession.StartAsync(semantic.Server, $"Agent task {number}");
        var book = await SeedAsync(tenant);
        JsonElement found;
        await using (agent)
        {
            found = await agent.CallAsync("search_crm", arguments);
            report.Record(number, question, agent, maxCalls: 1, output);
        }
        return (found, book);
    }

    static string[] Ids(JsonElement found, int top) => found.GetProperty("records").EnumerateArray().Take(top).Select(r => r.Str("Id")).ToArray();

    /// <summary>The expected records lead the answer: each of them is among its first <c>expected.Length</c> (+1 for slack) and the first is one of them.</summary>
    static void AssertLeads(JsonElement found, Book book, params string[] expected)
    {
        var wanted = expected.Select(k => book[k]).ToArray();
        var top = Ids(found, expected.Length + 1);
        Assert.True(wanted.All(top.Contains) && wanted.Contains(top[0]),
            $"expected {string.Join(", ", expected)} to lead; got {string.Join(", ", top.Select(id => book.FirstOrDefault(b => b.Value == id).Key ?? id))}");
    }

    [Fact]
    public async Task VpLevelPeopleAtSoftwareCompanies()
    {
        var (found, book) = await AskOnceAsync(35, "\"VP-level people at software companies\"", new { text = "VP-level people at software companies", objects = new[] { "Contact" } });
        AssertLeads(found, book, "vpEng", "vpSales");
        Assert.DoesNotContain(book["vpFarm"], Ids(found, 2));
    }

    [Fact]
    public async Task DecisionMakersAtHealthcareCompanies()
    {
        var (found, book) = await AskOnceAsync(36, "\"decision makers at healthcare companies\"", new { text = "decision makers at healthcare companies", objects = new[] { "Contact" } });
        AssertLeads(found, book, "ceoHealth", "cmoHealth");
        Assert.DoesNotContain(book["nurse"], Ids(found, 2));
    }

    [Fact]
    public async Task TheDealWhereTheyWorriedAboutSecurity()
    {
        var (found, book) = await AskOnceAsync(37, "\"the deal where they worried about security\"", new { text = "the deal where they worried about security", objects = new[] { "Opportunity" } });
        AssertLeads(found, book, "securityDeal");
    }

    [Fact]
    public async Task PeopleInFinanceDepartments()
    {
        var (found, book) = await AskOnceAsync(38, "\"people in finance departments\"", new { text = "people in finance departments", objects = new[] { "Contact" } });
        AssertLeads(found, book, "controller", "accountant");
    }

    [Fact]
    public async Task DealsStuckInNegotiation()
    {
        var (found, book) = await AskOnceAsync(39, "\"deals stuck in negotiation\"", new { text = "deals stuck in negotiation", objects = new[] { "Opportunity" } });
        AssertLeads(found, book, "stuckDeal");
    }

    [Fact]
    public async Task FollowUpsAboutPricing()
    {
        var (found, book) = await AskOnceAsync(40, "\"follow-ups about pricing\"", new { text = "follow-ups about pricing", objects = new[] { "Task" } });
        AssertLeads(found, book, "pricingTask");
    }
}
