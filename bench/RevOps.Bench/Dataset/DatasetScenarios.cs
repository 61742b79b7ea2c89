namespace RevOps.Bench.Dataset;

/// <summary>
/// The scenarios of the dataset mode, built from the manifest of the large tenant: which requests, and
/// how each answer is checked. Reads come before writes so the reads see the dataset as generated.
/// </summary>
public sealed class DatasetScenarios
{
    public const string Health = "health";
    public const string GetContactHot = "get_contact_hot";
    public const string GetContactCold = "get_contact_cold";
    public const string SearchEmail = "search_contacts_email";
    public const string SearchName = "search_contacts_name";
    public const string SearchCrm = "search_crm";
    public const string SoqlOrderLimit = "soql_order_limit";
    public const string RestGet = "rest_get";
    public const string CreateContact = "create_contact";
    public const string UpdateStage = "update_opportunity_stage";
    public const string RestPost = "rest_post";
    public const string Mixed = "mixed";

    public static readonly string[] Reads = [Health, GetContactHot, GetContactCold, SearchEmail, SearchName, SearchCrm, SoqlOrderLimit, RestGet];
    public static readonly string[] Writes = [CreateContact, UpdateStage, RestPost, Mixed];
    public static readonly string[] All = [.. Reads, .. Writes];

    /// <summary>Hot reads cycle over this many contacts: a working set that stays in every cache.</summary>
    public const int HotContacts = 100;

    public const string SoqlQuery = "SELECT Id, Name, Email FROM Contact ORDER BY LastName DESC LIMIT 200";

    readonly HttpClient _http;
    readonly Uri _health, _mcp, _api;
    readonly string _authorization;
    readonly string[] _allContactIds;
    readonly string[] _hotIds;
    readonly string[] _opportunityIds;
    readonly ToolCall[] _byEmail, _byName, _crm, _soql, _accountDeals;
    readonly (string, string?)[] _taskTargets;
    readonly string _runTag;

    public DatasetScenarios(HttpClient http, Uri baseAddress, ManifestTenant tenant, string[] allContactIds, string runTag)
    {
        _http = http;
        _health = baseAddress;
        _mcp = new Uri(baseAddress, "/mcp");
        _api = new Uri(baseAddress, "/services/data/v60.0/");
        _authorization = "Bearer " + tenant.ApiKey;
        _allContactIds = allContactIds;
        _runTag = runTag;
        _hotIds = tenant.Contacts.Take(HotContacts).Select(c => c.Id).ToArray();
        _opportunityIds = tenant.Opportunities.Select(o => o.Id).ToArray();
        _byEmail = tenant.Contacts.Select(c => ToolCall.Create("search_contacts", [new("email", c.Email)], ToolCall.Property("Id", c.Id), $"contact {c.Id} for {c.Email}")).ToArray();
        _byName = tenant.NamePrefixes.Select(p => ToolCall.Create("search_contacts", [new("name", p)], ToolCall.Property("Name", p)[..^1],
            $"contacts named {p}…")).ToArray();
        _crm = tenant.Contacts.Select(c => $"{c.FirstName} {c.LastName}").Distinct().Select(n => ToolCall.Create("search_crm", [new("text", n)], ToolCall.Property("Name", n),
            $"a record named {n}")).ToArray();
        _soql = [ToolCall.Create("soql_query", [new("query", SoqlQuery)], "\"count\":200", "200 rows")];
        _accountDeals = tenant.Accounts.Select(a => ToolCall.Create("soql_query",
            [new("query", $"SELECT Id, Name, StageName, Amount, CloseDate FROM Opportunity WHERE AccountId = '{a.Id}' ORDER BY CloseDate DESC")],
            "\"records\":[", $"the opportunities of {a.Id}")).ToArray();
        _taskTargets = tenant.Contacts.Select(c => (c.Id, c.AccountId)).ToArray();
    }

    /// <summary>The worker factory of a scenario (by name), given the worker's index.</summary>
    public Func<int, Worker> Factory(string scenario) => scenario switch
    {
        Health => _ => new HealthWorker(_http, _health),
        GetContactHot => i => new RandomGetContactWorker(_http, _mcp, _authorization, _hotIds, Seed(i)),
        GetContactCold => i => new RandomGetContactWorker(_http, _mcp, _authorization, _allContactIds, Seed(i)),
        SearchEmail => i => new ToolCallWorker(_http, _mcp, _authorization, _byEmail, Seed(i)),
        SearchName => i => new ToolCallWorker(_http, _mcp, _authorization, _byName, Seed(i)),
        SearchCrm => i => new ToolCallWorker(_http, _mcp, _authorization, _crm, Seed(i)),
        SoqlOrderLimit => i => new ToolCallWorker(_http, _mcp, _authorization, _soql, Seed(i)),
        RestGet => i => new RestGetContactWorker(_http, _api, _authorization, _allContactIds, Seed(i)),
        CreateContact => i => new CreateContactWorker(_http, _mcp, _authorization, $"{_runTag}{NextTag()}", i),
        UpdateStage => i => new UpdateStageWorker(_http, _mcp, _authorization, _opportunityIds, Seed(i)),
        RestPost => i => new RestCreateContactWorker(_http, _api, _authorization, $"{_runTag}{NextTag()}", i),
        Mixed => i => MixedAgent(i),
        _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, "Unknown scenario."),
    };

    /// <summary>
    /// An agent working the CRM: finds people and companies (search_crm, search_contacts), reads records,
    /// logs a task, moves a deal, asks SOQL for an account's deals; writes are a third of the calls.
    /// </summary>
    public Worker MixedAgent(int i) => new MixedWorker(_http,
    [
        (new ToolCallWorker(_http, _mcp, _authorization, _crm, Seed(i)), 0.15),
        (new ToolCallWorker(_http, _mcp, _authorization, _byEmail, Seed(i) + 1), 0.10),
        (new ToolCallWorker(_http, _mcp, _authorization, _byName, Seed(i) + 2), 0.10),
        (new RandomGetContactWorker(_http, _mcp, _authorization, _allContactIds, Seed(i) + 3), 0.25),
        (new CreateTaskWorker(_http, _mcp, _authorization, _taskTargets, Seed(i) + 4), 0.15),
        (new UpdateStageWorker(_http, _mcp, _authorization, _opportunityIds, Seed(i) + 5), 0.10),
        (new ToolCallWorker(_http, _mcp, _authorization, _accountDeals, Seed(i) + 6), 0.10),
        (new RestGetContactWorker(_http, _api, _authorization, _allContactIds, Seed(i) + 7), 0.05),
    ], Seed(i) + 8);

    public const string MixedDescription =
        "15% search_crm (full name), 10% search_contacts by email, 10% by name prefix, 25% get_contact (any of the 1M), 15% create_task, " +
        "10% update_opportunity_stage, 10% soql_query (an account's opportunities), 5% REST GET Contact";

    public static string Label(string scenario) => scenario switch
    {
        Health => "GET /health",
        GetContactHot => $"MCP get_contact, hot ({HotContacts} Ids)",
        GetContactCold => "MCP get_contact, cold (any of all contacts)",
        SearchEmail => "MCP search_contacts by email",
        SearchName => "MCP search_contacts by name prefix",
        SearchCrm => "MCP search_crm (full name)",
        SoqlOrderLimit => "MCP soql_query ORDER BY LastName DESC LIMIT 200",
        RestGet => "REST GET sobjects/Contact/{id}",
        CreateContact => "MCP create_contact",
        UpdateStage => "MCP update_opportunity_stage",
        RestPost => "REST POST sobjects/Contact",
        Mixed => "Mixed agent workload",
        _ => scenario,
    };

    int _tags;

    string NextTag() => "t" + Interlocked.Increment(ref _tags).ToString(System.Globalization.CultureInfo.InvariantCulture);

    static int Seed(int worker) => 1_000 + worker * 10;
}
