using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Schema;
using RevOps.Domain.Soql;

namespace RevOps.Domain.Tests;

/// <summary>SOQL parsing and planning without I/O: real-world queries, Salesforce's error shapes, date literal ranges.</summary>
public sealed class SoqlParserTests
{
    static readonly DateOnly Today = new(2026, 5, 14); // a Thursday in Q2

    static readonly TenantSchema Schema = new([
        Custom("Account", "Tier__c", FieldType.String),
        Custom("Account", "Regions__c", FieldType.MultiPicklist, ["AMER", "EMEA", "APAC"]),
        Custom("Account", "Renewal__c", FieldType.Date),
        Custom("Lead", "Score__c", FieldType.Double),
        Custom("Contact", "Notes__c", FieldType.TextArea),
    ]);

    static CustomFieldDefinition Custom(string obj, string name, FieldType type, IReadOnlyList<string>? values = null) =>
        new(obj, new FieldMetadata { Name = name, Label = name, Type = type, Length = 255, Custom = true, PicklistValues = values ?? [] }, DateTime.UnixEpoch, DateTime.UnixEpoch);

    static CrmResult<SoqlPlan> Plan(string soql) => SoqlPlanner.Plan(soql, Schema, Today);

    public static TheoryData<string> ValidQueries =>
    [
        // jsforce builder output (spec §8)
        "SELECT Id, Name FROM Account",
        "SELECT Id, Name, Account.Name, (SELECT Id, Subject FROM Tasks) FROM Contact WHERE Email = 'a@b.test' ORDER BY Name ASC, CreatedDate DESC LIMIT 10 OFFSET 20",
        "SELECT count() FROM Contact WHERE LastName LIKE 'A%'",
        "SELECT Id FROM Account WHERE Industry = null",
        "SELECT Id FROM Account WHERE Industry != null",
        "SELECT Id FROM Account WHERE Industry IN ('Banking', 'Finance')",
        "SELECT Id FROM Account WHERE Industry NOT IN ('Banking', 'Finance')",
        "SELECT Id FROM Account WHERE Name LIKE 'A%'",
        "SELECT Id FROM Account WHERE (NOT Name LIKE 'A%')",
        "SELECT Id FROM Account WHERE Regions__c INCLUDES ('AMER')",
        "SELECT Id FROM Account WHERE Regions__c EXCLUDES ('AMER;EMEA', 'APAC')",
        "SELECT Id FROM Account WHERE NumberOfEmployees >= 10",
        "SELECT Id FROM Contact WHERE DoNotCall = true AND HasOptedOutOfEmail = FALSE",
        "SELECT Id FROM Contact WHERE CreatedDate = LAST_N_DAYS:30",
        "SELECT Id FROM Opportunity WHERE CloseDate = 2024-01-31",
        "SELECT Id FROM Opportunity WHERE CreatedDate > 2024-01-31T10:00:00Z",
        "SELECT Id FROM Opportunity WHERE CreatedDate > 2024-01-31T10:00:00.000+02:00",
        "SELECT Id FROM Account WHERE (Industry = 'Banking' OR Industry = 'Finance') AND (NumberOfEmployees > 5 OR AnnualRevenue > 1000)",
        "SELECT Id FROM Account WHERE NOT (Industry = 'Banking' OR Name = 'x')",
        // SELECT lists with paths, subqueries, aggregates, FIELDS()
        "select id, name from account",
        "SELECT Name, Account.Parent.Parent.Parent.Parent.Name FROM Contact",
        "SELECT Subject, Who.Name, What.Name FROM Task WHERE Who.Name LIKE 'A%'",
        "SELECT Subject, Who.Email, Who.Company FROM Event",
        "SELECT Name, (SELECT LastName FROM Contacts WHERE Email != null ORDER BY LastName LIMIT 5), (SELECT Name, Amount FROM Opportunities) FROM Account",
        "SELECT Name, (SELECT Subject FROM Tasks), (SELECT Subject FROM Events) FROM Lead",
        "SELECT Name, (SELECT Name FROM ChildAccounts) FROM Account",
        "SELECT StageName, SUM(Amount) total, COUNT(Id) FROM Opportunity GROUP BY StageName HAVING SUM(Amount) > 100 ORDER BY SUM(Amount) DESC",
        "SELECT COUNT(Id), COUNT_DISTINCT(AccountId), AVG(Amount), MIN(CloseDate), MAX(CloseDate) FROM Opportunity",
        "SELECT Account.Name, COUNT(Id) n FROM Opportunity GROUP BY Account.Name",
        "SELECT LeadSource, Status, COUNT(Id) FROM Lead GROUP BY LeadSource, Status ORDER BY LeadSource NULLS LAST",
        "SELECT FIELDS(STANDARD) FROM Account",
        "SELECT FIELDS(ALL) FROM Account LIMIT 200",
        "SELECT FIELDS(CUSTOM) FROM Account LIMIT 10",
        "SELECT Id, Tier__c, Renewal__c FROM Account WHERE Renewal__c = NEXT_N_DAYS:90 AND Tier__c != 'Gold'",
        "SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE LastName = 'Ng')",
        "SELECT Id FROM Account WHERE Id NOT IN (SELECT AccountId FROM Opportunity WHERE IsWon = true)",
        "SELECT Id FROM Account WITH SECURITY_ENFORCED",
        "SELECT Id FROM Account WHERE Name = 'x' WITH USER_MODE ORDER BY Name LIMIT 1 FOR VIEW",
        "SELECT Id FROM Account FOR REFERENCE",
        "SELECT Id FROM Account LIMIT 5 FOR UPDATE",
        "SELECT Id FROM Account USING SCOPE mine",
        "SELECT toLabel(Industry), FORMAT(AnnualRevenue) FROM Account",
        "SELECT Name FROM Account WHERE Name = 'O\\'Brien \\\\ \\\"q\\\" \\n\\t' OR Name LIKE '100\\%\\_%'",
        "SELECT Name FROM Opportunity WHERE CloseDate = THIS_QUARTER OR CloseDate = LAST_FISCAL_YEAR OR CloseDate < N_WEEKS_AGO:2",
        "SELECT Name FROM Opportunity WHERE Amount > -5.5 AND Probability <= 100",
        "SELECT Id FROM Contact WHERE Id = '003000000000001' OR AccountId IN ('001000000000001AAA', null)",
        "SELECT Id FROM Contact ORDER BY Account.Name DESC NULLS FIRST, LastName",
        "  SELECT\n  Id,\n  Name\nFROM\n  Account\nWHERE\n  Name != 'x'  ",
    ];

    [Theory]
    [MemberData(nameof(ValidQueries))]
    public void Plan_RealWorldQuery_Succeeds(string soql)
    {
        var plan = Plan(soql);
        Assert.True(plan.IsOk, plan.Error?.ToString());
    }

    [Fact]
    public void ValidQueries_AreAtLeastForty() => Assert.True(ValidQueries.Count >= 40);

    public static TheoryData<string, string, int, int> MalformedQueries => new()
    {
        { "SELECT FROM Account", ErrorCodes.MalformedQuery, 1, 8 },
        { "SELECT Id FROM", ErrorCodes.MalformedQuery, 1, 15 },
        { "SELECT Id, FROM Account", ErrorCodes.MalformedQuery, 1, 12 },
        { "SELECT Id FROM Account WHERE Name = 'x' AND Industry = 'y' OR Id = null", ErrorCodes.MalformedQuery, 1, 60 },
        { "SELECT Id FROM Account WHERE Name = 'x' OR Industry = 'y' AND Id = null", ErrorCodes.MalformedQuery, 1, 59 },
        { "SELECT Id FROM Account WHERE Name = 'unterminated", ErrorCodes.MalformedQuery, 1, 37 },
        { "SELECT Id FROM Account WHERE Name = 'bad \\q escape'", ErrorCodes.MalformedQuery, 1, 37 },
        { "SELECT Id FROM Account WHERE Name == 'x'", ErrorCodes.MalformedQuery, 1, 36 },
        { "SELECT Id FROM Account WHERE Name ~ 'x'", ErrorCodes.MalformedQuery, 1, 35 },
        { "SELECT Id FROM Account ORDER Name", ErrorCodes.MalformedQuery, 1, 30 },
        { "SELECT Id FROM Account LIMIT x", ErrorCodes.MalformedQuery, 1, 30 },
        { "SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS", ErrorCodes.MalformedQuery, 1, 55 },
        { "SELECT Id FROM Account GROUP BY ROLLUP(Industry)", ErrorCodes.MalformedQuery, 1, 33 },
        { "SELECT Id FROM Account FOR SHARE", ErrorCodes.MalformedQuery, 1, 28 },
        { "SELECT Id FROM Account\nWHERE Name = 'x' junk", ErrorCodes.MalformedQuery, 2, 18 },
        { "SELECT Nmae FROM Account", ErrorCodes.InvalidField, 1, 8 },
        { "SELECT Id FROM Account WHERE Tier = 'x'", ErrorCodes.InvalidField, 1, 30 },
        { "SELECT Id, Acount.Name FROM Contact", ErrorCodes.InvalidField, 1, 12 },
        { "SELECT Id, Account.Nam FROM Contact", ErrorCodes.InvalidField, 1, 12 },
        { "SELECT Id FROM Contact WHERE Notes__c = 'x'", ErrorCodes.InvalidField, 1, 30 },
        { "SELECT Id FROM Account ORDER BY Description", ErrorCodes.InvalidField, 1, 33 },
        { "SELECT Id FROM Account WHERE Name = 5", ErrorCodes.InvalidField, 1, 37 },
        { "SELECT Id FROM Account WHERE NumberOfEmployees = '5'", ErrorCodes.InvalidField, 1, 50 },
        { "SELECT Id FROM Opportunity WHERE CloseDate = 2024-01-01T00:00:00Z", ErrorCodes.InvalidField, 1, 46 },
        { "SELECT Id FROM Opportunity WHERE CreatedDate > 2024-01-01", ErrorCodes.InvalidField, 1, 48 },
        { "SELECT Id FROM Acount", ErrorCodes.InvalidType, 1, 16 },
        { "SELECT Id, (SELECT Id FROM Contacts) FROM Lead", ErrorCodes.InvalidType, 1, 28 },
        { "SELECT Id FROM Contact WHERE AccountId = 'xyz'", ErrorCodes.InvalidQueryFilterOperator, 1, 42 },
        { "SELECT Id FROM Contact WHERE Id IN ('003000000000001AAA', '003000000000001AA')", ErrorCodes.InvalidQueryFilterOperator, 1, 59 },
        { "SELECT Id FROM Account WHERE Name INCLUDES ('x')", ErrorCodes.InvalidQueryFilterOperator, 1, 30 },
        { "SELECT Id FROM Account WHERE NumberOfEmployees LIKE '5%'", ErrorCodes.InvalidQueryFilterOperator, 1, 30 },
        { "SELECT Name, COUNT(Id) FROM Account GROUP BY Industry", ErrorCodes.MalformedQuery, 1, 8 },
        { "SELECT Id, COUNT() FROM Account", ErrorCodes.MalformedQuery, 1, 12 },
        { "SELECT SUM(Name) FROM Account", ErrorCodes.MalformedQuery, 1, 12 },
        { "SELECT FIELDS(ALL) FROM Account", ErrorCodes.MalformedQuery, 1, 8 },
        { "SELECT Id FROM Account WHERE COUNT(Id) > 1", ErrorCodes.MalformedQuery, 1, 30 },
        { "SELECT Name, Account.Parent.Parent.Parent.Parent.Parent.Name FROM Contact", ErrorCodes.MalformedQuery, 1, 14 },
    };

    [Theory]
    [MemberData(nameof(MalformedQueries))]
    public void Plan_BadQuery_ReportsCodeRowAndColumn(string soql, string code, int row, int column)
    {
        var plan = Plan(soql);
        Assert.False(plan.IsOk);
        Assert.Equal(code, plan.Error.Code);
        Assert.Contains($"\nERROR at Row:{row}:Column:{column}\n", plan.Error.Message);
    }

    [Fact]
    public void Plan_OffsetOver2000_IsOutsideValidRange()
    {
        var plan = Plan("SELECT Id FROM Account OFFSET 2001");
        Assert.Equal(ErrorCodes.NumberOutsideValidRange, plan.Error!.Code);
        Assert.True(Plan("SELECT Id FROM Account OFFSET 2000").IsOk);
    }

    [Fact]
    public void Plan_Errors_UseSalesforceMessages()
    {
        Assert.Equal("\nSELECT Id FROM Account WHERE\n                            ^\nERROR at Row:1:Column:29\nunexpected token: '<EOF>'", Plan("SELECT Id FROM Account WHERE").Error!.Message);
        Assert.Equal("\nSELECT Id FROM Contact WHERE AccountId = '001xyz'\n                                         ^\nERROR at Row:1:Column:42\ninvalid ID field: 001xyz",
            Plan("SELECT Id FROM Contact WHERE AccountId = '001xyz'").Error!.Message);
        Assert.EndsWith("\nNo such column 'Emial' on entity 'Contact'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
            Plan("SELECT Emial FROM Contact").Error!.Message);
        Assert.EndsWith("\nsObject type 'Contacts' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
            Plan("SELECT Id FROM Contacts").Error!.Message);
        Assert.Equal(ErrorCodes.MalformedQuery, Plan("   ").Error!.Code);
    }

    [Fact]
    public void Plan_Names_AreCanonicalWhateverTheCasing()
    {
        var ok = Plan("select ID, account.NAME, account.tier__C, (select SUBJECT from tasks) from CONTACT").Value;
        Assert.Equal("Contact", ok.Root.Object.Name);
        Assert.Equal(["Id", "Account", "Tasks"], ok.Outputs.Select(o => o.Name));
        var account = (SoqlParentOutput)ok.Outputs[1];
        Assert.Equal(["Name", "Tier__c"], account.Items.Select(o => o.Name));
        Assert.Equal(["Subject"], ((SoqlChildOutput)ok.Outputs[2]).Plan.Outputs.Select(o => o.Name));
    }

    [Fact]
    public void Plan_Aggregates_AreNamedExprNForUnaliasedOnly()
    {
        var plan = Plan("SELECT Account.Name, COUNT(Id), SUM(Amount) total, AVG(Amount), MAX(CloseDate) FROM Opportunity GROUP BY Account.Name").Value;
        Assert.True(plan.IsAggregate);
        Assert.Equal(["Name", "expr0", "total", "expr1", "expr2"], plan.Outputs.Select(o => o.Name));
        Assert.True(Plan("SELECT count() FROM Lead").Value.IsCountOnly);
    }

    [Fact]
    public void Plan_Literals_AreTypedAndIdsNormalised()
    {
        var plan = Plan("SELECT Id FROM Contact WHERE AccountId = '001000000000001' AND Name = 'O\\'Brien' AND Birthdate = 1990-02-03 AND CreatedDate > 2024-01-31T12:00:00+02:00").Value;
        var all = Assert.IsType<SoqlFilter.AllOf>(plan.Where);
        Assert.Equal("001000000000001AAA", Assert.IsType<SoqlFilter.Compare>(all.Items[0]).Value);
        Assert.Equal("O'Brien", Assert.IsType<SoqlFilter.Compare>(all.Items[1]).Value);
        Assert.Equal(new DateOnly(1990, 2, 3), Assert.IsType<SoqlFilter.Compare>(all.Items[2]).Value);
        Assert.Equal(new DateTime(2024, 1, 31, 10, 0, 0, DateTimeKind.Utc), Assert.IsType<SoqlFilter.Compare>(all.Items[3]).Value);
        var like = Assert.IsType<SoqlFilter.Like>(Plan("SELECT Id FROM Account WHERE Name LIKE '100\\%_x\\\\%'").Value.Where);
        Assert.Equal("100\\%_x\\\\%", like.Pattern);
        var picklist = Assert.IsType<SoqlFilter.Compare>(Plan("SELECT Id FROM Opportunity WHERE StageName = 'closed won'").Value.Where);
        Assert.Equal("Closed Won", picklist.Value);
        var multi = Assert.IsType<SoqlFilter.Compare>(Plan("SELECT Id FROM Account WHERE Regions__c = 'apac;amer'").Value.Where);
        Assert.Equal("AMER;APAC", multi.Value);
    }

    public static TheoryData<string, int?, string, string> DateLiteralRanges => new()
    {
        { "TODAY", null, "2026-05-14", "2026-05-14" },
        { "YESTERDAY", null, "2026-05-13", "2026-05-13" },
        { "TOMORROW", null, "2026-05-15", "2026-05-15" },
        { "THIS_WEEK", null, "2026-05-10", "2026-05-16" },
        { "LAST_WEEK", null, "2026-05-03", "2026-05-09" },
        { "NEXT_WEEK", null, "2026-05-17", "2026-05-23" },
        { "THIS_MONTH", null, "2026-05-01", "2026-05-31" },
        { "LAST_MONTH", null, "2026-04-01", "2026-04-30" },
        { "NEXT_MONTH", null, "2026-06-01", "2026-06-30" },
        { "LAST_90_DAYS", null, "2026-02-13", "2026-05-14" },
        { "NEXT_90_DAYS", null, "2026-05-15", "2026-08-12" },
        { "LAST_N_DAYS", 7, "2026-05-07", "2026-05-14" },
        { "NEXT_N_DAYS", 7, "2026-05-15", "2026-05-21" },
        { "N_DAYS_AGO", 3, "2026-05-11", "2026-05-11" },
        { "LAST_N_WEEKS", 2, "2026-04-26", "2026-05-09" },
        { "NEXT_N_WEEKS", 2, "2026-05-17", "2026-05-30" },
        { "N_WEEKS_AGO", 1, "2026-05-03", "2026-05-09" },
        { "LAST_N_MONTHS", 2, "2026-03-01", "2026-04-30" },
        { "NEXT_N_MONTHS", 2, "2026-06-01", "2026-07-31" },
        { "N_MONTHS_AGO", 5, "2025-12-01", "2025-12-31" },
        { "THIS_QUARTER", null, "2026-04-01", "2026-06-30" },
        { "LAST_QUARTER", null, "2026-01-01", "2026-03-31" },
        { "NEXT_QUARTER", null, "2026-07-01", "2026-09-30" },
        { "LAST_N_QUARTERS", 2, "2025-10-01", "2026-03-31" },
        { "NEXT_N_QUARTERS", 2, "2026-07-01", "2026-12-31" },
        { "N_QUARTERS_AGO", 2, "2025-10-01", "2025-12-31" },
        { "THIS_YEAR", null, "2026-01-01", "2026-12-31" },
        { "LAST_YEAR", null, "2025-01-01", "2025-12-31" },
        { "NEXT_YEAR", null, "2027-01-01", "2027-12-31" },
        { "LAST_N_YEARS", 2, "2024-01-01", "2025-12-31" },
        { "NEXT_N_YEARS", 2, "2027-01-01", "2028-12-31" },
        { "N_YEARS_AGO", 3, "2023-01-01", "2023-12-31" },
        { "THIS_FISCAL_QUARTER", null, "2026-04-01", "2026-06-30" },
        { "LAST_FISCAL_YEAR", null, "2025-01-01", "2025-12-31" },
    };

    [Theory]
    [MemberData(nameof(DateLiteralRanges))]
    public void DateLiterals_Range_IsComputedForToday(string name, int? n, string first, string last)
    {
        var (from, to) = DateLiterals.Range(name, n, Today);
        Assert.Equal(first, from.ToString("yyyy-MM-dd"));
        Assert.Equal(last, to.ToString("yyyy-MM-dd"));
    }

    [Fact]
    public void Plan_DateLiteralOnDateTimeField_BecomesUtcRangeByOperator()
    {
        static SoqlFilter Where(string op) => Plan($"SELECT Id FROM Account WHERE CreatedDate {op} LAST_N_DAYS:2").Value.Where!;
        var start = new DateTime(2026, 5, 12, 0, 0, 0, DateTimeKind.Utc);
        var end = new DateTime(2026, 5, 15, 0, 0, 0, DateTimeKind.Utc);
        var inside = Assert.IsType<SoqlFilter.AllOf>(Where("="));
        Assert.Equal([(SoqlCompareOp.GreaterOrEqual, (object)start), (SoqlCompareOp.Less, end)], inside.Items.Cast<SoqlFilter.Compare>().Select(c => (c.Op, c.Value)));
        Assert.Equal((SoqlCompareOp.Less, (object)start), Pair(Where("<")));
        Assert.Equal((SoqlCompareOp.GreaterOrEqual, (object)end), Pair(Where(">")));
        Assert.Equal((SoqlCompareOp.Less, (object)end), Pair(Where("<=")));
        Assert.Equal((SoqlCompareOp.GreaterOrEqual, (object)start), Pair(Where(">=")));
        var outside = Assert.IsType<SoqlFilter.AnyOf>(Where("!="));
        Assert.IsType<SoqlFilter.IsNull>(outside.Items[0]);

        var onDate = Assert.IsType<SoqlFilter.AllOf>(Plan("SELECT Id FROM Opportunity WHERE CloseDate = THIS_MONTH").Value.Where);
        Assert.Equal([(SoqlCompareOp.GreaterOrEqual, (object)new DateOnly(2026, 5, 1)), (SoqlCompareOp.LessOrEqual, new DateOnly(2026, 5, 31))],
            onDate.Items.Cast<SoqlFilter.Compare>().Select(c => (c.Op, c.Value)));
    }

    static (SoqlCompareOp, object) Pair(SoqlFilter filter)
    {
        var compare = Assert.IsType<SoqlFilter.Compare>(filter);
        return (compare.Op, compare.Value);
    }
}
