namespace RevOps.Bench.SemanticEval;

/// <summary>One generated record: its object, its Salesforce fields, the facts queries are judged by, and its key.</summary>
public sealed record GenRecord(string Key, string Object, Dictionary<string, object> Fields, Facts Facts)
{
    /// <summary>The Account key a Contact, Opportunity or Task hangs from.</summary>
    public string? AccountKey { get; init; }
}

/// <summary>What a record is about, in the generator's own terms; the queries' expected sets are predicates over these.</summary>
public sealed record Facts(string Segment, string? Level = null, string? Function = null, string? Theme = null, string? Stage = null);

/// <summary>
/// A realistic book of business, generated from hand-written templates with a fixed seed: companies in 16 kinds of
/// business, people with titles at five levels in a dozen functions, deals that each have a story (a security review, a
/// stalled negotiation, a price objection, ...) and tasks with a purpose. The text carries the meaning; the
/// words of a query rarely appear in the records it should find.
/// </summary>
public static class Dataset
{
    public sealed record Segment(string Key, string Industry, string[] Names, string[] Descriptions);

    public static readonly Segment[] Segments =
    [
        new("software", "Technology", ["Cloudworks", "Codeforge", "Datapine", "Bytewise", "Stackline", "Appsmith"],
            ["Builds SaaS software for {0} teams.", "Sells a cloud platform that helps {0} companies automate their workflows.", "Develops subscription software and mobile apps for {0}."]),
        new("hospital", "Healthcare", ["Mercy Health", "Riverside Medical", "Lakeside Clinics", "Northgate Hospital"],
            ["Runs a network of hospitals and outpatient clinics.", "Regional medical center with emergency care and surgery.", "Operates community clinics and a children's hospital."]),
        new("pharma", "Biotechnology", ["Genova Bio", "Helix Therapeutics", "Curalis Pharma"],
            ["Develops drugs for rare diseases; three compounds in clinical trials.", "Researches and manufactures vaccines and biologic medicines."]),
        new("bank", "Banking", ["Harbor Savings", "First Summit Bank", "Granite Trust"],
            ["Community bank offering checking accounts, mortgages and small business loans.", "Retail and commercial bank with branches across the state."]),
        new("insurance", "Insurance", ["Shieldpoint Mutual", "Evergreen Assurance", "Keystone Underwriters"],
            ["Sells home, auto and life insurance policies.", "Commercial insurer covering property and liability risks."]),
        new("retail", "Retail", ["Maple Street Goods", "Urban Outfitters Co-op", "Brightmart", "Corner Grocer"],
            ["Chain of clothing stores in shopping malls with an online shop.", "Supermarket chain selling groceries and household goods.", "Sells furniture and home decor through stores and e-commerce."]),
        new("manufacturing", "Manufacturing", ["Ironclad Industries", "Precision Parts", "Atlas Fabrication"],
            ["Factory producing steel components for cars and trucks.", "Makes industrial pumps and valves on three assembly lines."]),
        new("logistics", "Transportation", ["Swiftline Freight", "Bluewater Shipping", "Crossdock Logistics"],
            ["Trucking and warehousing company moving freight across the country.", "Runs container shipping routes and port terminals."]),
        new("education", "Education", ["Westbrook University", "Oakridge School District", "Summit Community College"],
            ["Public university with 20,000 students and a research hospital.", "School district running twelve elementary and high schools."]),
        new("government", "Government", ["City of Fairview", "State Water Authority", "County Transit Agency"],
            ["Municipal government providing city services to residents.", "Public agency managing regional infrastructure."]),
        new("energy", "Utilities", ["Sunridge Power", "Northwind Energy", "Gridline Utilities"],
            ["Electric utility running wind farms and the local power grid.", "Supplies natural gas and electricity to homes and businesses."]),
        new("telecom", "Telecommunications", ["Signal Mobile", "Fiberlink Networks"],
            ["Mobile carrier and broadband provider.", "Builds fiber optic networks and sells internet service."]),
        new("hospitality", "Hospitality", ["Seaside Resorts", "Grand Plaza Hotels", "Bistro Group"],
            ["Operates hotels and beach resorts.", "Runs a chain of restaurants and catering services."]),
        new("agriculture", "Agriculture", ["Green Acres Produce", "Prairie Grain", "Orchard Valley Farms"],
            ["Family farm growing vegetables and fruit for grocery chains.", "Grows wheat and corn and runs grain elevators."]),
        new("media", "Media", ["Brightline Studios", "Daily Ledger Press"],
            ["Produces television shows and streaming content.", "Publishes a newspaper and a news website."]),
        new("nonprofit", "Not For Profit", ["Helping Hands Foundation", "Clean Rivers Trust"],
            ["Charity running food banks and shelters.", "Environmental nonprofit that protects rivers, funded by donations."]),
    ];

    static readonly string[] Audiences = ["logistics", "marketing", "finance", "retail", "construction", "legal", "HR"];

    /// <summary>Titles by level and function; {0} is the function's name in a title.</summary>
    public static readonly Dictionary<string, string[]> TitlesByLevel = new()
    {
        ["C"] = ["Chief {0} Officer"],
        ["VP"] = ["Vice President of {0}", "VP, {0}", "SVP {0}"],
        ["Director"] = ["Director of {0}", "{0} Director"],
        ["Manager"] = ["{0} Manager", "Senior {0} Manager"],
        ["Staff"] = ["{0} Specialist", "{0} Analyst", "{0} Coordinator"],
    };

    /// <summary>Functions: the name used in titles, the C-level title's word, the department field, and individual titles.</summary>
    public sealed record Function(string Key, string InTitle, string Chief, string Department, string[] Individuals);

    public static readonly Function[] Functions =
    [
        new("engineering", "Engineering", "Technology", "Engineering", ["Software Engineer", "Site Reliability Engineer", "Backend Developer"]),
        new("sales", "Sales", "Revenue", "Sales", ["Account Executive", "Sales Development Representative"]),
        new("marketing", "Marketing", "Marketing", "Marketing", ["Content Writer", "Brand Designer"]),
        new("finance", "Finance", "Financial", "Finance", ["Accountant", "Controller", "Accounts Payable Clerk"]),
        new("hr", "People", "People", "Human Resources", ["Recruiter", "Payroll Administrator"]),
        new("operations", "Operations", "Operating", "Operations", ["Warehouse Supervisor", "Logistics Planner"]),
        new("security", "Information Security", "Information Security", "IT", ["Security Engineer", "Network Administrator"]),
        new("legal", "Legal", "Legal", "Legal", ["Corporate Counsel", "Paralegal"]),
        new("procurement", "Procurement", "Procurement", "Purchasing", ["Buyer", "Purchasing Agent"]),
        new("support", "Customer Support", "Customer", "Support", ["Support Engineer", "Customer Service Representative"]),
        new("clinical", "Nursing", "Medical", "Clinical", ["Registered Nurse", "Physician", "Surgeon"]),
    ];

    /// <summary>Deal stories: name word, descriptions, next steps, and the stages they are found in.</summary>
    public sealed record DealTheme(string Key, string NameWord, string[] Descriptions, string[] NextSteps, string[] Stages);

    public static readonly DealTheme[] DealThemes =
    [
        new("security", "platform rollout",
            ["Their CISO raised concerns about data protection; they asked for our penetration test report and SOC 2 audit.", "The infosec team is reviewing how we encrypt customer data before they sign.", "They were nervous about a breach after an incident last year and want single sign-on and audit logs."],
            ["Send the completed security questionnaire", "Call with their IT risk team"], ["Qualification", "Needs Analysis", "Proposal/Price Quote"]),
        new("negotiation", "enterprise agreement",
            ["Contract terms have gone back and forth for weeks without agreement.", "Legal redlines are stalled on the liability clause; no movement since last month.", "Procurement keeps pushing back on payment terms and the deal has not moved."],
            ["Still waiting on their lawyers' redlines", "Chase procurement again for a signature date"], ["Negotiation/Review"]),
        new("price", "license renewal",
            ["They said our quote is too expensive and asked for a 30% discount.", "Budget is tight this year; they are comparing our price with cheaper options.", "The buyer thinks the per-seat cost is too high for their team size."],
            ["Prepare a cheaper package", "Send a revised quote with volume pricing"], ["Proposal/Price Quote", "Negotiation/Review"]),
        new("competitor", "evaluation",
            ["They are also evaluating two rival vendors and running a bake-off.", "A competitor offered them a free first year; we need to show better value.", "Shortlisted against the incumbent provider they have used for ten years."],
            ["Send a comparison sheet against the other vendor", "Book a side-by-side demo"], ["Qualification", "Value Proposition", "Id. Decision Makers"]),
        new("champion", "team expansion",
            ["Our main sponsor left the company last month and nobody owns the project now.", "The manager who championed us was replaced; we have to rebuild the relationship.", "Our contact moved to another role and the new director has not replied."],
            ["Find a new executive sponsor", "Introduce ourselves to the new director"], ["Perception Analysis", "Needs Analysis"]),
        new("expansion", "upsell",
            ["Happy existing customer adding 200 more seats for a second division.", "They want to roll out to three more regions after a successful first year.", "Upsell of the analytics add-on to the current customer."],
            ["Confirm the seat count for the new division", "Send the order form for the add-on"], ["Proposal/Price Quote", "Closed Won"]),
        new("churn", "renewal",
            ["Usage dropped sharply and they hinted they may not renew.", "They complained about support response times and are considering cancelling.", "The renewal is at risk: their new CFO wants to cut software spending."],
            ["Schedule a save call with their executive", "Prepare a usage review before the renewal date"], ["Negotiation/Review", "Perception Analysis"]),
        new("pilot", "pilot",
            ["Starting with a 30-day proof of concept in one department before a wider rollout.", "Trial with ten users to prove the value before they commit to buying.", "A paid pilot at one site; success criteria agreed with their team."],
            ["Kick off the proof of concept", "Review the pilot results with their team"], ["Qualification", "Value Proposition"]),
        new("integration", "ERP connector",
            ["They need the product to sync with their SAP system and their data warehouse.", "Integration with their existing ERP is a hard requirement for go-live.", "Requires an API connection to their billing system before they can adopt it."],
            ["Technical call about the SAP integration", "Share the API documentation"], ["Needs Analysis", "Id. Decision Makers"]),
        new("migration", "data migration",
            ["Moving twenty years of records off their old on-premise system into the cloud.", "They need help importing data from the legacy database they are retiring.", "Migration from spreadsheets and an ageing mainframe is the main project."],
            ["Scope the data import", "Estimate the migration effort"], ["Needs Analysis", "Proposal/Price Quote"]),
        new("urgent", "quarter-end order",
            ["They must sign before the end of the quarter to use this year's budget.", "Hard deadline: the new system has to be live before the holiday season.", "Their board wants it in place by the end of the month; timing is tight."],
            ["Get the contract signed by Friday", "Confirm the go-live date"], ["Proposal/Price Quote", "Negotiation/Review"]),
        new("budget", "department rollout",
            ["Everything is agreed but the purchase is waiting for budget approval from finance.", "Funding is on hold until next fiscal year's budget is approved.", "The department head supports it; the spend needs sign-off from their board."],
            ["Ask when the budget committee meets", "Send the business case for their finance team"], ["Id. Decision Makers", "Value Proposition"]),
        new("lost", "replacement project",
            ["They chose another vendor because of price.", "Project cancelled after a reorganisation; no purchase this year.", "Went with the competitor that already served their parent company."],
            ["None", "Ask for feedback on why we lost"], ["Closed Lost"]),
    ];

    /// <summary>Task purposes: subjects and descriptions.</summary>
    public sealed record TaskTheme(string Key, string[] Subjects, string[] Descriptions);

    public static readonly TaskTheme[] TaskThemes =
    [
        new("pricing", ["Send revised quote", "Follow up on the proposal", "Pricing call"],
            ["They asked for a discount on the annual plan; prepare a cheaper option.", "Answer their questions about the cost per user and payment terms.", "Walk them through the price breakdown again."]),
        new("demo", ["Schedule product demo", "Book a walkthrough", "Demo for their team"],
            ["Show the reporting features to the operations team.", "Live walkthrough of the dashboard for the new stakeholders.", "Present the product to the department heads."]),
        new("contract", ["Send contract for signature", "Get the order form signed", "Countersign the agreement"],
            ["Email the final agreement through e-signature.", "Legal approved the terms; send the paperwork to sign.", "Chase the signed copy of the master services agreement."]),
        new("onboarding", ["Kickoff and training session", "Onboarding call", "Admin training"],
            ["Train the new users on day-to-day use.", "Help their admins set up accounts and permissions.", "Run the first workshop after go-live."]),
        new("support", ["Escalate login problem", "Bug report follow-up", "Outage follow-up"],
            ["Customer reported errors when exporting reports; engineering is investigating.", "Users could not sign in this morning; confirm the fix with them.", "Apologise for yesterday's downtime and explain the root cause."]),
        new("renewal", ["Check in before renewal", "Renewal review", "Quarterly business review"],
            ["Ask how the team is finding the product before the subscription renews.", "Review usage and plan next year's renewal.", "Go over the results of the year and the renewal options."]),
        new("thanks", ["Send thank-you note", "Send a gift basket", "Thank them for the referral"],
            ["Thank them for the meeting and the warm welcome.", "They referred us to a partner; send a note of appreciation.", "Celebrate the signed deal with a small gift."]),
        new("questionnaire", ["Complete security questionnaire", "Answer vendor risk assessment", "Send compliance documents"],
            ["Their IT team sent 120 questions about data handling and encryption.", "Fill in the vendor security review and attach our certifications.", "Provide the SOC 2 report and privacy policy they requested."]),
        new("intro", ["Intro call", "First meeting", "Discovery call"],
            ["First conversation to understand their needs and current tools.", "Meet the new contact and learn about their priorities.", "Get to know the team and their challenges."]),
    ];

    static readonly string[] FirstNames = ["Maria", "James", "Aisha", "Chen", "Lucas", "Priya", "Noah", "Fatima", "Oliver", "Sofia", "Ethan", "Yuki", "Mateo", "Grace", "Omar", "Elena", "Daniel", "Hannah", "Ravi", "Chloe", "Kwame", "Ingrid", "Diego", "Leah"];
    static readonly string[] LastNames = ["Lopez", "Smith", "Khan", "Wang", "Silva", "Patel", "Brown", "Haddad", "Jones", "Rossi", "Miller", "Tanaka", "Garcia", "Okafor", "Said", "Novak", "Kim", "Weber", "Shah", "Martin", "Mensah", "Berg", "Torres", "Cohen"];
    static readonly string[] Suffixes = ["Inc.", "Group", "Ltd", "Co", "Partners", "Holdings"];

    /// <summary>Generates the book of business; the same seed gives the same records, in order (accounts first).</summary>
    public static List<GenRecord> Generate(int seed = 20, int accountsPerSegment = 9, int contactsPerAccount = 4, int dealsPerAccount = 3, int tasksPerAccount = 3)
    {
        var random = new Random(seed);
        T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
        var records = new List<GenRecord>();
        int n = 0;
        foreach (var segment in Segments)
            for (int a = 0; a < accountsPerSegment; a++)
            {
                string accountKey = $"acc{n++}";
                string name = $"{segment.Names[a % segment.Names.Length]} {(a < segment.Names.Length ? "" : Pick(Suffixes) + " ")}{(a >= segment.Names.Length * 2 ? a.ToString(System.Globalization.CultureInfo.InvariantCulture) : "")}".Trim();
                string description = string.Format(System.Globalization.CultureInfo.InvariantCulture, Pick(segment.Descriptions), Pick(Audiences));
                records.Add(new GenRecord(accountKey, "Account", new() { ["Name"] = name, ["Industry"] = segment.Industry, ["Description"] = description }, new Facts(segment.Key)));

                for (int c = 0; c < contactsPerAccount; c++)
                {
                    var function = segment.Key == "hospital" && random.Next(3) == 0 ? Functions[^1] : Pick(Functions[..^1]);
                    string level = Pick(["C", "VP", "VP", "Director", "Manager", "Manager", "Staff", "Staff", "Staff"]);
                    string title = level == "C" ? $"Chief {function.Chief} Officer"
                        : level == "Staff" ? Pick(function.Individuals)
                        : string.Format(System.Globalization.CultureInfo.InvariantCulture, Pick(TitlesByLevel[level]), function.InTitle);
                    var fields = new Dictionary<string, object> { ["FirstName"] = Pick(FirstNames), ["LastName"] = Pick(LastNames), ["Title"] = title };
                    if (random.Next(2) == 0) fields["Department"] = function.Department; // half leave it blank, as real data does
                    records.Add(new GenRecord($"con{n++}", "Contact", fields, new Facts(segment.Key, level, function.Key)) { AccountKey = accountKey });
                }
                for (int d = 0; d < dealsPerAccount; d++)
                {
                    var theme = Pick(DealThemes);
                    string stage = Pick(theme.Stages);
                    var fields = new Dictionary<string, object>
                    {
                        ["Name"] = $"{name} {theme.NameWord}", ["StageName"] = stage, ["Description"] = Pick(theme.Descriptions), ["NextStep"] = Pick(theme.NextSteps),
                        ["CloseDate"] = $"2027-{1 + random.Next(12):D2}-{1 + random.Next(28):D2}", ["Amount"] = 5000 * (1 + random.Next(60)),
                    };
                    records.Add(new GenRecord($"opp{n++}", "Opportunity", fields, new Facts(segment.Key, Theme: theme.Key, Stage: stage)) { AccountKey = accountKey });
                }
                for (int t = 0; t < tasksPerAccount; t++)
                {
                    var theme = Pick(TaskThemes);
                    var fields = new Dictionary<string, object> { ["Subject"] = Pick(theme.Subjects), ["Description"] = Pick(theme.Descriptions) };
                    records.Add(new GenRecord($"tsk{n++}", "Task", fields, new Facts(segment.Key, Theme: theme.Key)) { AccountKey = accountKey });
                }
            }
        return records;
    }
}
