using System.Text;
using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>
/// Issue 18, first increment: `revops import` and `revops export` run as the real CLI against the test server's
/// database (SQLite, and PostgreSQL in the PG pass), checked through export, soql_query and list_changes.
/// </summary>
public sealed class ImportExportTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    string NewFile(string name, string text, bool bom = false)
    {
        string dir = Path.Combine(server.DataDirectory, "imports", Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, name);
        File.WriteAllBytes(path, [.. bom ? Bom : [], .. Encoding.UTF8.GetBytes(text)]);
        return path;
    }

    Task<Cli.Output> ImportAsync(TestTenant tenant, string obj, string file, params string[] extra) =>
        Cli.RunAsync(["import", "--tenant", tenant.TenantId, "--object", obj, file, "--data", server.DataDirectory, .. extra]);

    async Task<string> ExportAsync(TestTenant tenant, params string[] args)
    {
        var export = await Cli.RunAsync(["export", "--tenant", tenant.TenantId, "--data", server.DataDirectory, .. args]);
        Assert.True(export.ExitCode == 0, export.StdErr);
        return export.StdOut.Replace("\r\n", "\n");
    }

    static string[] ErrorLines(string file) =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(file)!, Path.GetFileNameWithoutExtension(file) + ".errors.csv")).Replace("\r\n", "\n").TrimEnd('\n').Split('\n');

    async Task<string> CreateUserAsync(TestTenant tenant, string email, string name)
    {
        var created = await Cli.RunAsync("user", "create", "--tenant", tenant.TenantId, "--email", email, "--name", name, "--data", server.DataDirectory);
        Assert.True(created.ExitCode == 0, created.StdErr);
        return created.StdOut.Trim()[^19..^1];
    }

    [Fact]
    public async Task DataLoaderFile_LabelsBomSemicolonsLocaleDates_GoodRowsLand_BadRowsInErrorsFile_ChangesListed()
    {
        var tenant = await server.CreateTenantAsync("Import dataloader");
        string globex = (await tenant.CallOkAsync("create_account", new { Name = "Globex Corporation" })).Str("Id");
        string sam = await CreateUserAsync(tenant, $"sam.{tenant.TenantId[..8]}@acme.test", "Sam Sales");

        var file = NewFile("contacts.csv",
            "First Name;LAST NAME;Email;Birthdate;Account Name;Owner.Email;Contact Description;lead source\r\n" +
            $"Anna;Schmidt;anna@globex.test;31.12.1980;globex corporation;SAM.{tenant.TenantId[..8]}@acme.test;\"Met at the fair;\r\nwants a demo\";Web\r\n" +
            "Bob;Meier;bob@globex.test;12/31/1979;Globex Corporation;;;\r\n" +
            "Cara;Bad Date;cara@globex.test;32.13.2000;;;;\r\n" +
            "Dan;Pigeon;dan@globex.test;;;;;Carrier Pigeon\r\n" +
            "Eve;;eve@globex.test;;;;;\r\n" +
            "Finn;Short\r\n" +
            "Gus;Nobody;gus@globex.test;;Umbrella;;;\r\n", bom: true);
        var run = await ImportAsync(tenant, "Contact", file);
        Assert.True(run.ExitCode == 2, run.StdOut + run.StdErr);
        Assert.StartsWith("Contact: 7 rows read, 2 written (2 created, 0 updated), 5 failed, 0 skipped in ", run.StdOut);

        var errors = ErrorLines(file);
        Assert.Equal("Row,Column,Value,Reason,First Name,LAST NAME,Email,Birthdate,Account Name,Owner.Email,Contact Description,lead source", errors[0]);
        Assert.Equal("3,Birthdate,32.13.2000,\"INVALID_FIELD_VALUE: Birthdate: '32.13.2000' is not a date such as 2026-12-31, 12/31/2026 or 31.12.2026 (settle day/month order with --date-format or --culture).\",Cara,Bad Date,cara@globex.test,32.13.2000,,,,", errors[1]);
        Assert.StartsWith("4,lead source,Carrier Pigeon,\"INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: ", errors[2]);
        Assert.Equal("5,LAST NAME,,REQUIRED_FIELD_MISSING: Contact.LastName is required. Send a value for 'LastName'.,Eve,,eve@globex.test,,,,,", errors[3]);
        Assert.Equal("6,(row),,INVALID_ARGUMENT: the row has 2 values but the header has 8 columns. Check for a missing delimiter or an unclosed quote.,Finn,Short,,,,,,", errors[4]);
        Assert.Equal("7,Account Name,Umbrella,\"INVALID_CROSS_REFERENCE_KEY: No Account has Name 'Umbrella'. Import it first, or run with --create-missing-parents.\",Gus,Nobody,gus@globex.test,,Umbrella,,,", errors[5]);
        Assert.Equal(6, errors.Length);

        string exported = await ExportAsync(tenant, "--object", "Contact", "--fields", "FirstName,LastName,Birthdate,AccountId,OwnerId,Description,LeadSource", "--where", "Email LIKE '%globex.test'");
        Assert.Equal(
            "FirstName,LastName,Birthdate,AccountId,OwnerId,Description,LeadSource\n" +
            $"Anna,Schmidt,1980-12-31,{globex},{sam},\"Met at the fair;\nwants a demo\",Web\n" +
            $"Bob,Meier,1979-12-31,{globex},{tenant.UserId},,\n", exported);

        var changes = await tenant.CallOkAsync("list_changes", new { @object = "Contact", operation = "created" });
        var created = changes.GetProperty("changes").EnumerateArray().ToArray();
        Assert.Equal(2, created.Length);
        Assert.All(created, c => Assert.Equal("import", c.Str("channel")));
    }

    [Fact]
    public async Task LocaleNumbers_Culture_And_DateFormat_SettleAmbiguity()
    {
        var tenant = await server.CreateTenantAsync("Import numbers");
        var file = NewFile("deals.csv",
            "Name\tStageName\tCloseDate\tAmount\tProbability\n" +
            "Big\tProspecting\t03/04/2026\t1.234,56\t10\n" +
            "Bigger\tProspecting\t2026-12-31\t1,234,567.50\t20\n" +
            "Plain\tProspecting\t05/06/2026\t99\t30\n");
        var run = await ImportAsync(tenant, "Opportunity", file, "--date-format", "dd/MM/yyyy", "--quiet");
        Assert.True(run.ExitCode == 0, run.StdOut + run.StdErr);
        Assert.Equal(
            "Name,CloseDate,Amount\nBig,2026-04-03,1234.56\nBigger,2026-12-31,1234567.5\nPlain,2026-06-05,99\n",
            await ExportAsync(tenant, "--soql", "SELECT Name, CloseDate, Amount FROM Opportunity ORDER BY Name"));

        var german = NewFile("de.csv", "Name;StageName;CloseDate;Amount\nKlein;Prospecting;1.2.2026;\"2,5\"\n");
        Assert.Equal(0, (await ImportAsync(tenant, "Opportunity", german, "--culture", "de-DE")).ExitCode);
        Assert.Equal("Amount,CloseDate\n2.5,2026-02-01\n", await ExportAsync(tenant, "--soql", "SELECT Amount, CloseDate FROM Opportunity WHERE Name = 'Klein'"));
    }

    [Fact]
    public async Task OnDuplicateSkip_LeavesTheDuplicateOut_AndListsItInTheErrorsFile_ExitZero()
    {
        var tenant = await server.CreateTenantAsync("Import dupes");
        string marge = (await tenant.CallOkAsync("create_contact", new { FirstName = "Marge", LastName = "Existing", Email = "marge@springfield.test" })).Str("Id");
        var file = NewFile("dupes.csv", "FirstName,LastName,Email\nHomer,New,homer@springfield.test\nMarjorie,Other,MARGE@springfield.test\n");
        var run = await ImportAsync(tenant, "Contact", file, "--on-duplicate", "skip");
        Assert.True(run.ExitCode == 0, run.StdOut + run.StdErr);
        Assert.StartsWith("Contact: 2 rows read, 1 written (1 created, 0 updated), 0 failed, 1 skipped in ", run.StdOut);
        Assert.Equal($"2,(duplicate),,Skipped: may duplicate Contact {marge} (Marge Existing) by email 'marge@springfield.test',Marjorie,Other,MARGE@springfield.test", ErrorLines(file)[1]);

        var blocked = await ImportAsync(tenant, "Contact", NewFile("again.csv", "LastName,Email\nAgain,marge@springfield.test\n"), "--on-duplicate", "block");
        Assert.Equal(2, blocked.ExitCode);
        Assert.Equal("LastName\nExisting\nNew\n", await ExportAsync(tenant, "--object", "Contact", "--fields", "LastName", "--where", "Email LIKE '%springfield.test'"));
    }

    [Fact]
    public async Task UpsertOnExternalId_UpdatesMatches_CreatesTheRest()
    {
        var tenant = await server.CreateTenantAsync("Import upsert");
        var field = await Cli.RunAsync("field", "define", "--tenant", tenant.TenantId, "--object", "Account", "--name", "Erp_Id__c", "--label", "ERP Id", "--type", "Text", "--external-id", "--data", server.DataDirectory);
        Assert.True(field.ExitCode == 0, field.StdOut + field.StdErr);
        Assert.Equal(0, (await ImportAsync(tenant, "Account", NewFile("a.csv", "Name,Erp_Id__c,Industry\nAcme,E1,Banking\nBeta,E2,Energy\n"), "--upsert-on", "Erp_Id__c")).ExitCode);
        var second = await ImportAsync(tenant, "Account", NewFile("b.csv", "Name,Erp_Id__c,Industry\nAcme Corp,E1,Media\nGamma,E3,\n"), "--upsert-on", "Erp_Id__c");
        Assert.True(second.ExitCode == 0, second.StdOut + second.StdErr);
        Assert.StartsWith("Account: 2 rows read, 2 written (1 created, 1 updated), 0 failed, 0 skipped", second.StdOut);
        Assert.Equal("Name,Erp_Id__c,Industry\nAcme Corp,E1,Media\nBeta,E2,Energy\nGamma,E3,\n",
            await ExportAsync(tenant, "--soql", "SELECT Name, Erp_Id__c, Industry FROM Account ORDER BY Erp_Id__c"));
    }

    [Fact]
    public async Task ExportThenImportIntoAnEmptyTenant_RoundTripsIdenticalValues()
    {
        var source = await server.CreateTenantAsync("Export source");
        string initech = (await source.CallOkAsync("create_account", new { Name = "Initech, \"the\" company", AnnualRevenue = 1234567, NumberOfEmployees = 42, Description = "Line 1\nLine 2, with comma" })).Str("Id");
        await source.CallOkAsync("create_contact", new { FirstName = "Peter", LastName = "Gibbons", Email = "peter@initech.test", Birthdate = "1970-01-31", AccountId = initech, DoNotCall = true, Description = "Ünïcödé ✓ \"quoted\"" });
        await source.CallOkAsync("create_contact", new { LastName = "Solo", HasOptedOutOfEmail = true });
        const string accountFields = "Name,AnnualRevenue,NumberOfEmployees,Description";
        const string contactFields = "FirstName,LastName,Email,Birthdate,DoNotCall,HasOptedOutOfEmail,Description,Account.Name";
        string accounts = await ExportAsync(source, "--object", "Account", "--fields", accountFields);
        string contacts = await ExportAsync(source, "--object", "Contact", "--fields", contactFields);

        var target = await server.CreateTenantAsync("Import target");
        Assert.Equal(0, (await ImportAsync(target, "Account", NewFile("accounts.csv", accounts))).ExitCode);
        var run = await ImportAsync(target, "Contact", NewFile("contacts.csv", contacts));
        Assert.True(run.ExitCode == 0, run.StdOut + run.StdErr);
        Assert.Equal(accounts, await ExportAsync(target, "--object", "Account", "--fields", accountFields));
        Assert.Equal(Sorted(contacts), Sorted(await ExportAsync(target, "--object", "Contact", "--fields", contactFields)));

        // A full export (every field, system ones too) imports with the system columns left out and said so; its
        // OwnerId names the source tenant's user, which the target tenant does not have: each row says so.
        string full = await ExportAsync(source, "--object", "Account");
        var fullFile = NewFile("full.csv", full);
        var again = await ImportAsync(await server.CreateTenantAsync("Import full"), "Account", fullFile);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("note: not imported (set by the system): Id, IsDeleted, CreatedDate", again.StdErr);
        Assert.StartsWith($"1,OwnerId,{source.UserId},\"INVALID_CROSS_REFERENCE_KEY: Account.OwnerId: no active User '{source.UserId}' in this org.", ErrorLines(fullFile)[1]);
    }

    [Fact]
    public async Task Export_StreamsEveryRowPastAPage_InIdOrder_AndKeepsTheQuerysLimitOffsetAndEmptyParents()
    {
        var tenant = await server.CreateTenantAsync("Export stream");
        // 2,300 rows: more than one SOQL page (2,000), which export no longer reads page by page.
        var csv = new StringBuilder("LastName,Email,Account.Name\n");
        for (int i = 0; i < 2300; i++) csv.Append($"Row{i:D4},row{i}@stream.test,{(i % 2 == 0 ? "Even Co" : "")}\n");
        var run = await ImportAsync(tenant, "Contact", NewFile("rows.csv", csv.ToString()), "--create-missing-parents", "--quiet");
        Assert.True(run.ExitCode == 0, run.StdOut + run.StdErr);

        var lines = (await ExportAsync(tenant, "--object", "Contact", "--fields", "Id,LastName,Account.Name")).TrimEnd('\n').Split('\n');
        Assert.Equal("Id,LastName,Account.Name", lines[0]);
        Assert.Equal(2301, lines.Length);
        var ids = lines.Skip(1).Select(l => l.Split(',')[0]).ToArray();
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal(2300, ids.Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 2300).Select(i => $"Row{i:D4},{(i % 2 == 0 ? "Even Co" : "")}").Order(StringComparer.Ordinal),
            lines.Skip(1).Select(l => l[(l.IndexOf(',') + 1)..]).Order(StringComparer.Ordinal));

        Assert.Equal("LastName,Account.Name\nRow1999,\nRow2000,Even Co\nRow2001,\n",
            await ExportAsync(tenant, "--soql", "SELECT LastName, Account.Name FROM Contact ORDER BY LastName LIMIT 3 OFFSET 1999"));
        Assert.Equal("LastName\n", await ExportAsync(tenant, "--soql", "SELECT LastName FROM Contact WHERE LastName = 'Nobody'"));
        // Aggregates are not streamed but still exported: their groups come in one page.
        Assert.EndsWith("\n2300\n", await ExportAsync(tenant, "--soql", "SELECT COUNT(Id) FROM Contact"));
    }

    [Fact]
    public async Task ADuplicateOfARowTwoBatchesEarlier_IsFound()
    {
        // revops import writes 2,000 rows per transaction; row 4,001 is checked against what the batches before it committed,
        // so it finds the contact row 10 created two batches earlier. (Any overlap of batches must keep this.)
        var tenant = await server.CreateTenantAsync("Import dupes across batches");
        var csv = new StringBuilder("LastName,Email,Account.Name\n");
        for (int i = 1; i <= 4_100; i++) csv.Append($"Row{i},{(i == 4_001 ? "row10" : $"row{i}")}@batches.test,Batch Co {i % 7}\n");
        var file = NewFile("batches.csv", csv.ToString());
        var run = await ImportAsync(tenant, "Contact", file, "--on-duplicate", "skip", "--create-missing-parents", "--quiet");
        Assert.True(run.ExitCode == 0, run.StdOut + run.StdErr);
        Assert.StartsWith("Contact: 4,100 rows read, 4,099 written (4,099 created, 0 updated), 0 failed, 1 skipped in ", run.StdOut);
        var errors = ErrorLines(file);
        Assert.Equal(2, errors.Length);
        Assert.Matches(@"^4001,\(duplicate\),,Skipped: may duplicate Contact 003\w{15} \(Row10\) by email 'row10@batches\.test',Row4001,row10@batches\.test,Batch Co 4$", errors[1]);
        Assert.EndsWith("\n4099\n", await ExportAsync(tenant, "--soql", "SELECT COUNT(Id) FROM Contact"));
        Assert.Equal("Name\n" + string.Concat(Enumerable.Range(0, 7).Select(k => $"Batch Co {k}\n")),
            await ExportAsync(tenant, "--soql", "SELECT Name FROM Account ORDER BY Name"));
    }

    [Fact]
    public async Task AccountsNamingParentsOfAnEarlierBatch_FindThem()
    {
        // Parent.Name names accounts of the same file: a batch's look-ups see the batches before it committed.
        var tenant = await server.CreateTenantAsync("Import hierarchy");
        var csv = new StringBuilder("Name,Parent.Name\n");
        for (int i = 1; i <= 2_000; i++) csv.Append($"Parent {i},\n");
        for (int i = 1; i <= 150; i++) csv.Append($"Child {i},Parent {i * 13}\n");
        var run = await ImportAsync(tenant, "Account", NewFile("tree.csv", csv.ToString()), "--quiet");
        Assert.True(run.ExitCode == 0, run.StdOut + run.StdErr);
        Assert.StartsWith("Account: 2,150 rows read, 2,150 written (2,150 created, 0 updated), 0 failed, 0 skipped in ", run.StdOut);
        Assert.Equal("Name,Parent.Name\nChild 1,Parent 13\nChild 10,Parent 130\nChild 100,Parent 1300\n",
            await ExportAsync(tenant, "--soql", "SELECT Name, Parent.Name FROM Account WHERE Name LIKE 'Child%' ORDER BY Name LIMIT 3"));
        Assert.EndsWith("\n150\n", await ExportAsync(tenant, "--soql", "SELECT COUNT(Id) FROM Account WHERE ParentId != null"));
    }

    static string Sorted(string csv) => string.Join("\n", csv.Split('\n').Order(StringComparer.Ordinal));

    [Fact]
    public async Task CrossTenant_AccountNameAndOwnerEmail_NeverMatchAnotherTenantsRecords()
    {
        var other = await server.CreateTenantAsync("Import other");
        await other.CallOkAsync("create_account", new { Name = "Umbrella Corporation" });
        string otherEmail = $"wesker.{other.TenantId[..8]}@umbrella.test";
        await CreateUserAsync(other, otherEmail, "Albert Wesker");

        var tenant = await server.CreateTenantAsync("Import mine");
        var file = NewFile("c.csv", $"LastName,Account.Name,Owner.Email\nOne,Umbrella Corporation,\nTwo,,{otherEmail}\n");
        var run = await ImportAsync(tenant, "Contact", file);
        Assert.Equal(2, run.ExitCode);
        var errors = ErrorLines(file);
        Assert.StartsWith("1,Account.Name,Umbrella Corporation,\"INVALID_CROSS_REFERENCE_KEY: No Account has Name 'Umbrella Corporation'.", errors[1]);
        Assert.StartsWith($"2,Owner.Email,{otherEmail},INVALID_CROSS_REFERENCE_KEY: No user of this org has Email '{otherEmail}'.", errors[2]);

        // --create-missing-parents creates the tenant's own Umbrella; the other tenant's stays alone.
        var created = await ImportAsync(tenant, "Contact", NewFile("c2.csv", "LastName,Account.Name\nOne,Umbrella Corporation\n"), "--create-missing-parents");
        Assert.Equal(0, created.ExitCode);
        Assert.Equal("Name\nUmbrella Corporation\n", await ExportAsync(tenant, "--object", "Account", "--fields", "Name"));
        Assert.Equal("Name\nUmbrella Corporation\n", await ExportAsync(other, "--object", "Account", "--fields", "Name"));
    }

    [Fact]
    public async Task HostileFiles_ClearErrors_NothingWritten_NoCrash()
    {
        var tenant = await server.CreateTenantAsync("Import hostile");

        var notUtf8 = NewFile("latin1.csv", "");
        File.WriteAllBytes(notUtf8, [.. Encoding.ASCII.GetBytes("LastName\nOk\nM"), 0xFC, .. Encoding.ASCII.GetBytes("ller\n")]);
        var bad = await ImportAsync(tenant, "Contact", notUtf8);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("is not UTF-8 text (invalid bytes on line 3). Save it as \"CSV UTF-8\" and import again; nothing was written.", bad.StdErr);

        var unknown = await ImportAsync(tenant, "Contact", NewFile("unknown.csv", "LastName,Shoe Size\nBig,46\n"));
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("Contact has no field for the column 'Shoe Size'.", unknown.StdErr);
        Assert.Contains("Nothing was written.", unknown.StdErr);

        var manyColumns = await ImportAsync(tenant, "Contact", NewFile("wide.csv", string.Join(",", Enumerable.Range(0, 5000).Select(i => $"c{i}")) + "\n" + new string(',', 4999) + "\n"));
        Assert.Equal(1, manyColumns.ExitCode);
        Assert.Contains("has no field for the columns 'c0', 'c1'", manyColumns.StdErr);

        var huge = NewFile("huge.csv", $"LastName,Description\nHuge,\"{new string('x', 2_000_000)}\"\nSmall,fine\n");
        var hugeRun = await ImportAsync(tenant, "Contact", huge);
        Assert.Equal(2, hugeRun.ExitCode);
        Assert.StartsWith("1,Description,", ErrorLines(huge)[1]);
        Assert.Equal("LastName\nSmall\n", await ExportAsync(tenant, "--object", "Contact", "--fields", "LastName"));

        var missing = await ImportAsync(tenant, "Contact", Path.Combine(server.DataDirectory, "nope.csv"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no file", missing.StdErr);
    }

    static async Task DefineInvoicesAsync(TestTenant tenant)
    {
        await tenant.CallOkAsync("define_custom_field", new
        {
            @object = "Invoice__c",
            define_object = new { label = "Invoice", plural_label = "Invoices", name_field = new { type = "AutoNumber", format = "INV-{0000}" } },
        });
        await tenant.CallOkAsync("define_custom_field", new { @object = "Invoice__c", api_name = "Amount__c", type = "Currency" });
        await tenant.CallOkAsync("define_custom_field", new { @object = "Invoice__c", api_name = "Account__c", type = "Lookup", reference_to = "Account" });
        await tenant.CallOkAsync("create_account", new { Name = "Acme" });
        await tenant.CallOkAsync("create_account", new { Name = "Globex" });
    }

    [Fact]
    public async Task CustomObject_ImportedWithParentNames_ExportedAndRoundTripped()
    {
        var a = await server.CreateTenantAsync("Import custom object A");
        var b = await server.CreateTenantAsync("Import custom object B");
        await DefineInvoicesAsync(a);
        await DefineInvoicesAsync(b);

        string file = NewFile("invoices.csv", "Amount__c,Account__r.Name\n100,Acme\n250.5,Globex\n75,Acme\n12,Nobody Inc\n");
        var run = await ImportAsync(a, "Invoice__c", file, "--quiet");
        Assert.True(run.ExitCode == 2, run.StdOut + run.StdErr); // one row failed, the others landed
        Assert.Contains("3 written", run.StdOut);
        var errors = ErrorLines(file);
        Assert.Equal(2, errors.Length);
        Assert.Contains("Nobody Inc", errors[1]);

        const string Soql = "SELECT Name, Amount__c, Account__r.Name FROM Invoice__c ORDER BY Name";
        Assert.Equal("Name,Amount__c,Account__r.Name\nINV-0001,100,Acme\nINV-0002,250.5,Globex\nINV-0003,75,Acme\n", await ExportAsync(a, "--soql", Soql));
        var all = await ExportAsync(a, "--object", "Invoice__c", "--fields", "Name, Amount__c");
        Assert.Equal("Name,Amount__c\nINV-0001,100\nINV-0002,250.5\nINV-0003,75\n", all);
        var changes = await a.CallOkAsync("list_changes", new { @object = "Invoice__c" });
        Assert.Equal(3, changes.GetProperty("changes").EnumerateArray().Count(c => c.Str("operation") == "created"));

        // Export from A, import into B (same definitions, its own accounts): the same values, B's own Ids and numbers.
        string moved = NewFile("moved.csv", await ExportAsync(a, "--soql", "SELECT Amount__c, Account__r.Name FROM Invoice__c ORDER BY Name"));
        Assert.Equal(0, (await ImportAsync(b, "Invoice__c", moved, "--quiet")).ExitCode);
        Assert.Equal(await ExportAsync(a, "--soql", Soql), await ExportAsync(b, "--soql", Soql));
        var bAccounts = (await b.CallOkAsync("soql_query", new { query = "SELECT Account__c FROM Invoice__c" })).GetProperty("records").EnumerateArray().Select(r => r.Str("Account__c")).ToHashSet();
        var aAccounts = (await a.CallOkAsync("soql_query", new { query = "SELECT Id FROM Account" })).GetProperty("records").EnumerateArray().Select(r => r.Str("Id")).ToHashSet();
        Assert.Empty(bAccounts.Intersect(aAccounts));
        Assert.Equal(2, bAccounts.Count);
    }
}
