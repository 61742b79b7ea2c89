namespace RevOps.Bench.SemanticEval;

/// <summary>A question as an agent would send it, the object it asks about, and which generated records answer it.</summary>
public sealed record EvalQuery(string Text, string Objects, Func<GenRecord, bool> Expected, string Kind);

/// <summary>
/// The eval set: 66 questions. Most are worded by meaning (their words are seldom in the records that answer them);
/// a few are lookups by name or by a rare word, where keyword search is strong, so hybrid is judged on both.
/// Expected sets are predicates over the generator's facts, never over the text a model sees.
/// </summary>
public static class EvalQueries
{
    static bool Level(GenRecord r, params string[] levels) => r.Facts.Level is { } l && levels.Contains(l);
    static bool Fn(GenRecord r, string function) => r.Facts.Function == function;
    static bool Seg(GenRecord r, params string[] segments) => segments.Contains(r.Facts.Segment);
    static bool Theme(GenRecord r, string theme) => r.Facts.Theme == theme;

    public static IReadOnlyList<EvalQuery> Build(IReadOnlyList<GenRecord> data)
    {
        var people = new List<(string, Func<GenRecord, bool>)>
        {
            ("VP-level people at software companies", r => Level(r, "VP") && Seg(r, "software")),
            ("decision makers at healthcare companies", r => Level(r, "C", "VP") && Seg(r, "hospital", "pharma")),
            ("people in finance departments", r => Fn(r, "finance")),
            ("engineering leaders", r => Fn(r, "engineering") && Level(r, "C", "VP", "Director")),
            ("marketing people at retailers", r => Fn(r, "marketing") && Seg(r, "retail")),
            ("senior executives at banks", r => Level(r, "C", "VP") && Seg(r, "bank")),
            ("HR and recruiting contacts", r => Fn(r, "hr")),
            ("who is responsible for IT security", r => Fn(r, "security")),
            ("lawyers and legal counsel", r => Fn(r, "legal")),
            ("purchasing and procurement contacts", r => Fn(r, "procurement")),
            ("sales people at factories", r => Fn(r, "sales") && Seg(r, "manufacturing")),
            ("doctors and nurses", r => Fn(r, "clinical")),
            ("customer support managers", r => Fn(r, "support") && Level(r, "Manager", "Director")),
            ("senior leaders at insurance companies", r => Level(r, "C", "VP") && Seg(r, "insurance")),
            ("operations staff at logistics companies", r => Fn(r, "operations") && Seg(r, "logistics")),
            ("individual contributors in engineering, not managers", r => Fn(r, "engineering") && Level(r, "Staff")),
            ("heads of marketing", r => Fn(r, "marketing") && Level(r, "C", "VP", "Director")),
            ("chief financial officers", r => Fn(r, "finance") && Level(r, "C")),
            ("people who work at universities and schools", r => Seg(r, "education")),
            ("contacts at government agencies", r => Seg(r, "government")),
        };
        var companies = new List<(string, Func<GenRecord, bool>)>
        {
            ("software companies", r => Seg(r, "software")),
            ("hospitals and clinics", r => Seg(r, "hospital")),
            ("banks and lenders", r => Seg(r, "bank")),
            ("companies that make physical products in factories", r => Seg(r, "manufacturing")),
            ("freight and shipping companies", r => Seg(r, "logistics")),
            ("schools and universities", r => Seg(r, "education")),
            ("public sector organisations", r => Seg(r, "government")),
            ("power and utility companies", r => Seg(r, "energy")),
            ("internet and phone providers", r => Seg(r, "telecom")),
            ("hotels and restaurants", r => Seg(r, "hospitality")),
            ("farms and food growers", r => Seg(r, "agriculture")),
            ("publishers and TV producers", r => Seg(r, "media")),
            ("charities", r => Seg(r, "nonprofit")),
            ("insurers", r => Seg(r, "insurance")),
            ("drug developers", r => Seg(r, "pharma")),
            ("shops and stores", r => Seg(r, "retail")),
        };
        var deals = new List<(string, Func<GenRecord, bool>)>
        {
            ("the deal where they worried about security", r => Theme(r, "security")),
            ("deals stuck in negotiation", r => Theme(r, "negotiation")),
            ("deals where the customer thinks we are too expensive", r => Theme(r, "price")),
            ("deals where we compete against another vendor", r => Theme(r, "competitor")),
            ("deals where our champion left", r => Theme(r, "champion")),
            ("customers buying more seats", r => Theme(r, "expansion")),
            ("customers who might cancel", r => Theme(r, "churn")),
            ("trials and proofs of concept", r => Theme(r, "pilot")),
            ("deals that need an integration with their ERP", r => Theme(r, "integration")),
            ("moving data from an old system", r => Theme(r, "migration")),
            ("deals with a tight deadline", r => Theme(r, "urgent")),
            ("deals waiting for budget approval", r => Theme(r, "budget")),
            ("deals we lost", r => Theme(r, "lost")),
            ("security concerns in healthcare deals", r => Theme(r, "security") && Seg(r, "hospital", "pharma")),
            ("stalled contract talks with banks", r => Theme(r, "negotiation") && Seg(r, "bank")),
            ("price objections from retailers", r => Theme(r, "price") && Seg(r, "retail")),
        };
        var tasks = new List<(string, Func<GenRecord, bool>)>
        {
            ("follow-ups about pricing", r => Theme(r, "pricing")),
            ("demos to schedule", r => Theme(r, "demo")),
            ("contracts waiting for signature", r => Theme(r, "contract")),
            ("training sessions for new users", r => Theme(r, "onboarding")),
            ("customer problems and bug escalations", r => Theme(r, "support")),
            ("renewal check-ins", r => Theme(r, "renewal")),
            ("thank-you notes", r => Theme(r, "thanks")),
            ("security questionnaires to fill in", r => Theme(r, "questionnaire")),
            ("first meetings with new contacts", r => Theme(r, "intro")),
        };
        var queries = new List<EvalQuery>();
        queries.AddRange(people.Select(q => new EvalQuery(q.Item1, "Contact", r => r.Object == "Contact" && q.Item2(r), "meaning")));
        queries.AddRange(companies.Select(q => new EvalQuery(q.Item1, "Account", r => r.Object == "Account" && q.Item2(r), "meaning")));
        queries.AddRange(deals.Select(q => new EvalQuery(q.Item1, "Opportunity", r => r.Object == "Opportunity" && q.Item2(r), "meaning")));
        queries.AddRange(tasks.Select(q => new EvalQuery(q.Item1, "Task", r => r.Object == "Task" && q.Item2(r), "meaning")));

        // Lookups: a company and a person by name, and rare words from deal descriptions.
        static string Str(GenRecord r, string field) => (string)r.Fields[field];
        queries.Add(new EvalQuery("Granite Trust", "Account", r => r.Object == "Account" && Str(r, "Name").StartsWith("Granite Trust", StringComparison.Ordinal), "lookup"));
        queries.Add(new EvalQuery("Helix Therapeutics", "Account", r => r.Object == "Account" && Str(r, "Name").StartsWith("Helix Therapeutics", StringComparison.Ordinal), "lookup"));
        var person = data.First(r => r.Object == "Contact");
        string fullName = $"{Str(person, "FirstName")} {Str(person, "LastName")}";
        queries.Add(new EvalQuery(fullName, "Contact", r => r.Object == "Contact" && $"{Str(r, "FirstName")} {Str(r, "LastName")}" == fullName, "lookup"));
        queries.Add(new EvalQuery("penetration test report", "Opportunity", r => r.Object == "Opportunity" && Str(r, "Description").Contains("penetration test", StringComparison.Ordinal), "lookup"));
        queries.Add(new EvalQuery("SAP", "Opportunity", r => r.Object == "Opportunity" && Str(r, "Description").Contains("SAP", StringComparison.Ordinal), "lookup"));
        return queries;
    }
}
