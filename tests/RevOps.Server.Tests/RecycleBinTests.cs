using System.Globalization;
using System.Text.Json;
using RevOps.Domain;
using RevOps.Domain.Ids;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Schema;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Writes;
using RevOps.Storage;

namespace RevOps.Server.Tests;

/// <summary>delete_record / restore_record: soft delete, the Account cascade, the recycle bin listing, and the purge after the retention.</summary>
public sealed class RecycleBinTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    /// <summary>Fields every write stamps anew; a restore may change them and nothing else.</summary>
    static readonly HashSet<string> Stamps = ["LastModifiedDate", "SystemModstamp", "LastModifiedById"];

    [Fact]
    public async Task DeleteRecord_Contact_HiddenFromReadsListedInBinAndRestoredUnchanged()
    {
        var tenant = await server.CreateTenantAsync("Bin contact");
        string accountId = (await tenant.CallOkAsync("create_account", new { Name = "Hopper Labs" })).Str("Id");
        var created = await tenant.CallOkAsync("create_record", new
        {
            @object = "Contact",
            fields = new
            {
                Salutation = "Dr.", FirstName = "Grace", LastName = "Hopper", Email = "grace@hopper.test", Phone = "+1 555 0142", MobilePhone = "555-0143",
                Title = "Rear Admiral", Department = "Research", Birthdate = "1906-12-09", LeadSource = "Referral", HasOptedOutOfEmail = true,
                MailingStreet = "1 Navy Way", MailingCity = "Arlington", MailingState = "VA", MailingPostalCode = "22201", MailingCountry = "USA",
                Description = "Wrote the first compiler.", AccountId = accountId,
            },
        });
        string id = created.Str("Id");
        var before = await tenant.CallOkAsync("get_record", new { Id = id });

        var deleted = await tenant.CallOkAsync("delete_record", new { Id = id });
        Assert.Equal(id, deleted.Str("Id"));
        Assert.Equal("Contact", deleted.Str("object"));
        Assert.Equal("Grace Hopper", deleted.Str("Name"));
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        Assert.Empty(deleted.GetProperty("cascade").EnumerateArray());
        var until = DateTime.ParseExact(deleted.Str("restorableUntil"), "yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        Assert.InRange(until, DateTime.UtcNow.AddDays(15).AddMinutes(-5), DateTime.UtcNow.AddDays(15).AddMinutes(1));

        Assert.StartsWith($"ENTITY_IS_DELETED: Contact '{id}' is in the recycle bin (deleted ", Mcp.ErrorText(await tenant.CallAsync("get_record", new { Id = id })));
        Assert.EndsWith("Restore it with restore_record to read or change it.", Mcp.ErrorText(await tenant.CallAsync("get_record", new { Id = id })));
        Assert.StartsWith($"ENTITY_IS_DELETED: Contact '{id}' is in the recycle bin", Mcp.ErrorText(await tenant.CallAsync("get_contact", new { Id = id })));
        Assert.StartsWith($"ENTITY_IS_DELETED: Contact '{id}'", Mcp.ErrorText(await tenant.CallAsync("update_record", new { Id = id, fields = new { Title = "Commodore" } })));
        Assert.Equal(0, (await tenant.CallOkAsync("search_contacts", new { email = "grace@hopper.test" })).GetProperty("count").GetInt32());
        Assert.Equal(0, (await tenant.CallOkAsync("search_contacts", new { accountId })).GetProperty("count").GetInt32());
        Assert.Equal(0, (await tenant.CallOkAsync("find_records", new { @object = "Contact" })).GetProperty("totalSize").GetInt32());
        Assert.Equal(0, (await tenant.CallOkAsync("find_records", new { @object = "Contact", where = new { LastName = "Hopper" } })).GetProperty("totalSize").GetInt32());

        var bin = await tenant.CallOkAsync("find_records", new { @object = "Contact", deleted = true });
        Assert.Equal(1, bin.GetProperty("totalSize").GetInt32());
        var inBin = Assert.Single(bin.GetProperty("records").EnumerateArray());
        Assert.Equal(id, inBin.Str("Id"));
        Assert.True(inBin.GetProperty("IsDeleted").GetBoolean());
        Assert.Equal("grace@hopper.test", inBin.Str("Email"));

        var restored = await tenant.CallOkAsync("restore_record", new { Id = id });
        Assert.Equal(id, restored.Str("Id"));
        Assert.True(restored.GetProperty("restored").GetBoolean());
        Assert.Empty(restored.GetProperty("cascade").EnumerateArray());

        var after = await tenant.CallOkAsync("get_record", new { Id = id });
        AssertSameExceptStamps(before, after);
        var audit = await tenant.CallOkAsync("get_record", new { Id = id, fields = new[] { "IsDeleted", "LastModifiedById" } });
        Assert.False(audit.GetProperty("IsDeleted").GetBoolean());
        Assert.Equal(tenant.UserId, audit.Str("LastModifiedById"));
        Assert.Equal(0, (await tenant.CallOkAsync("find_records", new { @object = "Contact", deleted = true })).GetProperty("totalSize").GetInt32());
        Assert.Equal(id, Assert.Single((await tenant.CallOkAsync("search_contacts", new { email = "grace@hopper.test" })).GetProperty("records").EnumerateArray()).Str("Id"));
        Assert.Equal("Rear Admiral", (await tenant.CallOkAsync("update_record", new { Id = id, fields = new { Department = "Navy" } })).Str("Title"));
    }

    [Fact]
    public async Task DeleteRecord_Account_CascadesToItsOwnLiveChildrenAndRestoreBringsBackExactlyThem()
    {
        var tenant = await server.CreateTenantAsync("Bin cascade");
        string acme = (await tenant.CallOkAsync("create_account", new { Name = "Acme Corp", Industry = "Technology" })).Str("Id");
        string globex = (await tenant.CallOkAsync("create_account", new { Name = "Globex" })).Str("Id");
        string ada = (await tenant.CallOkAsync("create_contact", new { FirstName = "Ada", LastName = "Lovelace", AccountId = acme })).Str("Id");
        string alan = (await tenant.CallOkAsync("create_contact", new { FirstName = "Alan", LastName = "Turing", AccountId = acme })).Str("Id");
        string early = (await tenant.CallOkAsync("create_contact", new { FirstName = "Early", LastName = "Leaver", AccountId = acme })).Str("Id");
        string hank = (await tenant.CallOkAsync("create_contact", new { FirstName = "Hank", LastName = "Scorpio", AccountId = globex })).Str("Id");
        string deal = (await tenant.CallOkAsync("create_opportunity", new { Name = "Acme renewal", StageName = "Qualification", CloseDate = "2026-12-31", Amount = 1000, AccountId = acme })).Str("Id");
        string otherDeal = (await tenant.CallOkAsync("create_opportunity", new { Name = "Globex deal", StageName = "Prospecting", CloseDate = "2026-12-31", AccountId = globex })).Str("Id");
        string task = (await tenant.CallOkAsync("create_task", new { Subject = "Call Acme", WhatId = acme })).Str("Id");
        string adaTask = (await tenant.CallOkAsync("create_task", new { Subject = "Email Ada", WhoId = ada })).Str("Id");
        string hankTask = (await tenant.CallOkAsync("create_task", new { Subject = "Email Hank", WhoId = hank, WhatId = globex })).Str("Id");
        var adaBefore = await tenant.CallOkAsync("get_record", new { Id = ada });
        var dealBefore = await tenant.CallOkAsync("get_record", new { Id = deal });

        var alone = await tenant.CallOkAsync("delete_record", new { Id = early });
        Assert.Empty(alone.GetProperty("cascade").EnumerateArray());

        // Activities go along too: the account's task, and the task of a contact that goes with it.
        var expected = new[] { ("Contact", ada, "Ada Lovelace"), ("Contact", alan, "Alan Turing"), ("Opportunity", deal, "Acme renewal"), ("Task", task, "Call Acme"), ("Task", adaTask, "Email Ada") }.Order().ToArray();

        var dry = await tenant.CallOkAsync("delete_record", new { Id = acme, dry_run = true });
        Assert.True(dry.GetProperty("dryRun").GetBoolean());
        Assert.False(dry.TryGetProperty("deleted", out _));
        Assert.Equal("Nothing was deleted; send the same call without dry_run to do it.", dry.Str("message"));
        Assert.Equal(expected, Listed(dry, "cascade"));
        foreach (var live in new[] { acme, ada, alan, deal })
            Assert.False((await tenant.CallOkAsync("get_record", new { Id = live, fields = new[] { "IsDeleted" } })).GetProperty("IsDeleted").GetBoolean());
        Assert.Equal(1, (await tenant.CallOkAsync("find_records", new { @object = "Contact", deleted = true })).GetProperty("totalSize").GetInt32());

        var deleted = await tenant.CallOkAsync("delete_record", new { Id = acme });
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        Assert.Equal("Acme Corp", deleted.Str("Name"));
        Assert.Equal(expected, Listed(deleted, "cascade"));
        foreach (var gone in new[] { acme, ada, alan, deal, early, task, adaTask })
            Assert.StartsWith("ENTITY_IS_DELETED: ", Mcp.ErrorText(await tenant.CallAsync("get_record", new { Id = gone })));
        foreach (var kept in new[] { globex, hank, otherDeal, hankTask })
            Assert.False((await tenant.CallOkAsync("get_record", new { Id = kept, fields = new[] { "IsDeleted" } })).GetProperty("IsDeleted").GetBoolean());
        Assert.Equal($"UNDELETE_FAILED: Task '{adaTask}' was deleted together with Contact '{ada}' (Ada Lovelace). Restore that Contact and this comes back with it.",
            Mcp.ErrorText(await tenant.CallAsync("restore_record", new { Id = adaTask })));
        Assert.Equal([hank], Ids(await tenant.CallOkAsync("find_records", new { @object = "Contact" })));
        Assert.Equal(new[] { ada, alan, early }.Order(), Ids(await tenant.CallOkAsync("find_records", new { @object = "Contact", deleted = true })).Order());
        Assert.Equal([deal], Ids(await tenant.CallOkAsync("find_records", new { @object = "Opportunity", deleted = true })));
        Assert.Equal([acme], Ids(await tenant.CallOkAsync("find_records", new { @object = "Account", deleted = true })));

        Assert.Equal($"UNDELETE_FAILED: Contact '{ada}' was deleted together with Account '{acme}' (Acme Corp). Restore that Account and this comes back with it.",
            Mcp.ErrorText(await tenant.CallAsync("restore_record", new { Id = ada })));
        Assert.StartsWith($"UNDELETE_FAILED: Opportunity '{deal}' was deleted together with Account '{acme}' (Acme Corp).",
            Mcp.ErrorText(await tenant.CallAsync("restore_record", new { Id = deal })));
        Assert.StartsWith("ENTITY_IS_DELETED: ", Mcp.ErrorText(await tenant.CallAsync("get_record", new { Id = ada })));

        var dryRestore = await tenant.CallOkAsync("restore_record", new { Id = acme, dry_run = true });
        Assert.True(dryRestore.GetProperty("dryRun").GetBoolean());
        Assert.Equal("Nothing was restored; send the same call without dry_run to do it.", dryRestore.Str("message"));
        Assert.Equal(expected, Listed(dryRestore, "cascade"));
        Assert.StartsWith("ENTITY_IS_DELETED: ", Mcp.ErrorText(await tenant.CallAsync("get_record", new { Id = acme })));
        Assert.Equal(3, (await tenant.CallOkAsync("find_records", new { @object = "Contact", deleted = true })).GetProperty("totalSize").GetInt32());

        var restored = await tenant.CallOkAsync("restore_record", new { Id = acme });
        Assert.True(restored.GetProperty("restored").GetBoolean());
        Assert.Equal(expected, Listed(restored, "cascade"));
        AssertSameExceptStamps(adaBefore, await tenant.CallOkAsync("get_record", new { Id = ada }));
        AssertSameExceptStamps(dealBefore, await tenant.CallOkAsync("get_record", new { Id = deal }));
        Assert.Equal("Acme Corp", (await tenant.CallOkAsync("get_record", new { Id = acme })).Str("Name"));
        Assert.StartsWith($"ENTITY_IS_DELETED: Contact '{early}'", Mcp.ErrorText(await tenant.CallAsync("get_record", new { Id = early })));
        Assert.Equal(new[] { ada, alan }.Order(), Ids(await tenant.CallOkAsync("search_contacts", new { accountId = acme })).Order());
        Assert.Equal([early], Ids(await tenant.CallOkAsync("find_records", new { @object = "Contact", deleted = true })));

        // The contact deleted on its own comes back on its own, to its (live again) account.
        Assert.Equal(acme, (await tenant.CallOkAsync("get_record", new { Id = task })).Str("WhatId"));
        Assert.Equal(ada, (await tenant.CallOkAsync("get_record", new { Id = adaTask })).Str("WhoId"));
        var earlyBack = await tenant.CallOkAsync("restore_record", new { Id = early });
        Assert.Empty(earlyBack.GetProperty("cascade").EnumerateArray());
        Assert.Equal(acme, (await tenant.CallOkAsync("get_record", new { Id = early })).Str("AccountId"));

        // A contact deleted alone cannot come back while its account is in the bin: it would point at a deleted record.
        await tenant.CallOkAsync("delete_record", new { Id = early });
        await tenant.CallOkAsync("delete_record", new { Id = globex });
        await tenant.CallOkAsync("delete_record", new { Id = acme });
        Assert.Equal($"UNDELETE_FAILED: Contact '{early}' points through AccountId to Account '{acme}' (Acme Corp), which is in the recycle bin. Restore that Account first.",
            Mcp.ErrorText(await tenant.CallAsync("restore_record", new { Id = early })));
        Assert.Equal(hankTask, Assert.Single(Listed(await tenant.CallOkAsync("restore_record", new { Id = globex }), "cascade"), t => t.Item1 == "Task").Item2);
    }

    [Fact]
    public async Task DeleteAndRestore_WrongState_ClearErrorsAndReferencesToDeletedRecordsRefused()
    {
        var tenant = await server.CreateTenantAsync("Bin errors");
        string contact = (await tenant.CallOkAsync("create_contact", new { LastName = "Twice" })).Str("Id");

        Assert.Equal($"UNDELETE_FAILED: Contact '{contact}' is not deleted; there is nothing to restore.",
            Mcp.ErrorText(await tenant.CallAsync("restore_record", new { Id = contact })));
        await tenant.CallOkAsync("delete_record", new { Id = contact });
        Assert.Equal($"ENTITY_IS_DELETED: Contact '{contact}' is already in the recycle bin. Use restore_record to bring it back.",
            Mcp.ErrorText(await tenant.CallAsync("delete_record", new { Id = contact })));
        Assert.Equal($"ENTITY_IS_DELETED: Contact '{contact}' is already in the recycle bin. Use restore_record to bring it back.",
            Mcp.ErrorText(await tenant.CallAsync("delete_record", new { Id = contact, dry_run = true })));
        await tenant.CallOkAsync("restore_record", new { Id = contact });
        Assert.Equal($"UNDELETE_FAILED: Contact '{contact}' is not deleted; there is nothing to restore.",
            Mcp.ErrorText(await tenant.CallAsync("restore_record", new { Id = contact })));

        const string never = "003000000000001AAA";
        Assert.Equal($"NOT_FOUND: no contact '{never}' in this org. Check the Id, or search for the record first.",
            Mcp.ErrorText(await tenant.CallAsync("delete_record", new { Id = never })));
        Assert.Equal($"NOT_FOUND: no contact '{never}' in this org or its recycle bin (deleted records are purged after 15 days).",
            Mcp.ErrorText(await tenant.CallAsync("restore_record", new { Id = never })));
        Assert.Equal("MALFORMED_ID: 'nope' is not a valid record Id. Send the 15- or 18-character Id.",
            Mcp.ErrorText(await tenant.CallAsync("delete_record", new { Id = "nope" })));

        string account = (await tenant.CallOkAsync("create_account", new { Name = "Gone Inc" })).Str("Id");
        string deal = (await tenant.CallOkAsync("create_opportunity", new { Name = "Gone deal", StageName = "Prospecting", CloseDate = "2026-12-31" })).Str("Id");
        await tenant.CallOkAsync("delete_record", new { Id = account });
        await tenant.CallOkAsync("delete_record", new { Id = deal });

        string noAccount = $"Contact.AccountId: no Account '{account}' in this org. Send the Id of an existing Account (search for it first), or leave AccountId out.";
        Assert.Equal($"INVALID_CROSS_REFERENCE_KEY: {noAccount}", Mcp.ErrorText(await tenant.CallAsync("create_contact", new { LastName = "Orphan", AccountId = account })));
        Assert.Equal($"INVALID_CROSS_REFERENCE_KEY: {noAccount}",
            Mcp.ErrorText(await tenant.CallAsync("create_record", new { @object = "Contact", fields = new { LastName = "Orphan", AccountId = account } })));
        Assert.Equal($"INVALID_CROSS_REFERENCE_KEY: {noAccount}", Mcp.ErrorText(await tenant.CallAsync("update_record", new { Id = contact, fields = new { AccountId = account } })));
        Assert.Equal($"INVALID_CROSS_REFERENCE_KEY: Task.WhatId: no Opportunity '{deal}' in this org. Send the Id of an existing Opportunity (search for it first), or leave WhatId out.",
            Mcp.ErrorText(await tenant.CallAsync("create_task", new { Subject = "Follow up", WhatId = deal })));
        Assert.StartsWith($"INVALID_CROSS_REFERENCE_KEY: Opportunity.AccountId: no Account '{account}' in this org.",
            Mcp.ErrorText(await tenant.CallAsync("create_opportunity", new { Name = "X", StageName = "Prospecting", CloseDate = "2026-12-31", AccountId = account })));

        Assert.Equal([contact], Ids(await tenant.CallOkAsync("find_records", new { @object = "Contact" })));
        Assert.False((await tenant.CallOkAsync("get_record", new { Id = contact })).TryGetProperty("AccountId", out _));
        Assert.Equal(0, (await tenant.CallOkAsync("find_records", new { @object = "Task" })).GetProperty("totalSize").GetInt32());
        Assert.Equal(0, (await tenant.CallOkAsync("find_records", new { @object = "Opportunity" })).GetProperty("totalSize").GetInt32());
    }

    [Theory]
    [InlineData("Account", """{"Name":"Umbrella","Industry":"Healthcare","AnnualRevenue":5000000,"NumberOfEmployees":800,"Website":"umbrella.test","BillingCity":"Raccoon City"}""")]
    [InlineData("Contact", """{"FirstName":"Jill","LastName":"Valentine","Email":"jill@stars.test","Birthdate":"1974-01-01","DoNotCall":true}""")]
    [InlineData("Lead", """{"FirstName":"Chris","LastName":"Redfield","Company":"S.T.A.R.S.","Status":"Working - Contacted","Rating":"Warm","Email":"chris@stars.test"}""")]
    [InlineData("Opportunity", """{"Name":"Mansion cleanup","StageName":"Needs Analysis","CloseDate":"2027-03-31","Amount":12345.67,"Type":"New Customer"}""")]
    [InlineData("Task", """{"Subject":"Check the mansion","Status":"In Progress","Priority":"High","ActivityDate":"2026-11-30","Type":"Call"}""")]
    [InlineData("Event", """{"Subject":"Briefing","StartDateTime":"2026-11-30T09:00:00Z","EndDateTime":"2026-11-30T10:30:00Z","Location":"RPD","IsAllDayEvent":false}""")]
    public async Task DeleteAndRestore_EachObject_GenericToolsRoundTrip(string obj, string fieldsJson)
    {
        var tenant = await server.CreateTenantAsync($"Bin {obj}");
        var fields = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(fieldsJson)!;
        string id = (await tenant.CallOkAsync("create_record", new Dictionary<string, object?> { ["object"] = obj, ["fields"] = fields })).Str("Id");
        Assert.StartsWith(StandardObjects.All.Single(o => o.Name == obj).KeyPrefix, id);
        var before = await tenant.CallOkAsync("get_record", new { Id = id });
        foreach (var (name, value) in fields)
            Assert.True(SameValue(value, before.GetProperty(name)), $"{obj}.{name}: sent {value}, read {before.GetProperty(name)}");

        var deleted = await tenant.CallOkAsync("delete_record", new { Id = id, @object = obj });
        Assert.Equal(obj, deleted.Str("object"));
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        Assert.StartsWith($"ENTITY_IS_DELETED: {obj} '{id}' is in the recycle bin", Mcp.ErrorText(await tenant.CallAsync("get_record", new { Id = id })));
        Assert.Equal(0, (await tenant.CallOkAsync("find_records", new { @object = obj })).GetProperty("totalSize").GetInt32());
        Assert.Equal([id], Ids(await tenant.CallOkAsync("find_records", new { @object = obj, deleted = true })));

        var restored = await tenant.CallOkAsync("restore_record", new { Id = id });
        Assert.Equal(obj, restored.Str("object"));
        Assert.True(restored.GetProperty("restored").GetBoolean());
        AssertSameExceptStamps(before, await tenant.CallOkAsync("get_record", new { Id = id }));
        Assert.Equal([id], Ids(await tenant.CallOkAsync("find_records", new { @object = obj })));
        Assert.Equal(0, (await tenant.CallOkAsync("find_records", new { @object = obj, deleted = true })).GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task DeleteAndRestore_OtherTenantsRecord_SameAnswerAsNonexistentIdAndNothingChanges()
    {
        var acme = await server.CreateTenantAsync("Bin Acme");
        var globex = await server.CreateTenantAsync("Bin Globex");
        const string never = "003000000000001AAA";
        string live = (await acme.CallOkAsync("create_contact", new { LastName = "Live" })).Str("Id");
        string binned = (await acme.CallOkAsync("create_contact", new { LastName = "Binned" })).Str("Id");
        await acme.CallOkAsync("delete_record", new { Id = binned });

        foreach (var tool in new[] { "delete_record", "restore_record" })
            foreach (var id in new[] { live, binned })
                foreach (var dryRun in new[] { false, true })
                    Assert.Equal(Mcp.ErrorText(await globex.CallAsync(tool, new { Id = never, dry_run = dryRun })).Replace(never, id),
                        Mcp.ErrorText(await globex.CallAsync(tool, new { Id = id, dry_run = dryRun })));
        Assert.StartsWith("NOT_FOUND: ", Mcp.ErrorText(await globex.CallAsync("delete_record", new { Id = live })));
        Assert.Equal(0, (await globex.CallOkAsync("find_records", new { @object = "Contact", deleted = true })).GetProperty("totalSize").GetInt32());

        Assert.False((await acme.CallOkAsync("get_record", new { Id = live, fields = new[] { "IsDeleted" } })).GetProperty("IsDeleted").GetBoolean());
        Assert.StartsWith("ENTITY_IS_DELETED: ", Mcp.ErrorText(await acme.CallAsync("get_record", new { Id = binned })));
        Assert.Equal([binned], Ids(await acme.CallOkAsync("find_records", new { @object = "Contact", deleted = true })));
    }

    [Fact]
    public async Task PurgeAsync_AfterRetention_RemovesOldDeletesOnlyAndKeepsRecentOnesRestorable()
    {
        string folder = Path.Combine(Path.GetTempPath(), "revops-purge-" + Guid.NewGuid().ToString("N"));
        var ct = TestContext.Current.CancellationToken;
        var time = new ManualTime(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        string? database = await TestDatabase.CreateAsync(folder);
        try
        {
            // The backend the suite runs on: the SQLite file in the folder, or a fresh PostgreSQL database.
            await using var storage = StorageBackend.Open(new StorageLocation(Path.Combine(folder, "revops.db"), database));
            var store = storage.Records;
            var ids = new IdGenerator(7, time);
            var tenants = new TenantService(storage.Tenants, storage.Users, ids, time);
            var schemas = new SchemaService(storage.CustomFields, time, storage.CustomObjects);
            var records = new RecordService(store, schemas, ids, time);
            var bin = new RecycleBin(store, time);
            var acme = Assert.IsType<TenantService.NewTenant>((await tenants.CreateTenantAsync("Purge Acme", null, "professional", RevOps.Domain.Audit.AuditSource.Cli, ct)).Value);
            var globex = Assert.IsType<TenantService.NewTenant>((await tenants.CreateTenantAsync("Purge Globex", null, "professional", RevOps.Domain.Audit.AuditSource.Cli, ct)).Value);
            var caller = new Caller(acme.Tenant.Id, acme.FirstUser.Id, Scopes.Read | Scopes.Write, "test");
            var other = new Caller(globex.Tenant.Id, globex.FirstUser.Id, Scopes.Read | Scopes.Write, "test");

            async Task<string> CreateAsync(Caller who, ObjectMetadata obj, object fields)
            {
                var input = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(JsonSerializer.Serialize(fields))!;
                var created = await records.CreateAsync(who, obj, RecordInput.From(input), ct);
                Assert.True(created.IsOk, created.Error?.ToString());
                return created.Value.Id;
            }
            async Task DeleteAsync(Caller who, ObjectMetadata obj, string id)
            {
                var result = await bin.DeleteAsync(who, obj, id, dryRun: false, ct);
                Assert.True(result.IsOk, result.Error?.ToString());
            }

            // Day 0: an account (with its contact) and a task go to the bin; another tenant deletes an account too.
            string oldAccount = await CreateAsync(caller, StandardObjects.Account, new { Name = "Old Co" });
            string oldContact = await CreateAsync(caller, StandardObjects.Contact, new { LastName = "Old", AccountId = oldAccount });
            string oldTask = await CreateAsync(caller, StandardObjects.Task, new { Subject = "Old task" });
            string liveLead = await CreateAsync(caller, StandardObjects.Lead, new { LastName = "Live", Company = "Live Co" });
            string otherAccount = await CreateAsync(other, StandardObjects.Account, new { Name = "Other tenant's" });
            await DeleteAsync(caller, StandardObjects.Account, oldAccount);
            await DeleteAsync(caller, StandardObjects.Task, oldTask);
            await DeleteAsync(other, StandardObjects.Account, otherAccount);

            // Day 10: a recent delete.
            time.Advance(TimeSpan.FromDays(10));
            string recent = await CreateAsync(caller, StandardObjects.Contact, new { LastName = "Recent" });
            await DeleteAsync(caller, StandardObjects.Contact, recent);

            // Exactly 15 days after the first deletes nothing is old enough yet.
            time.Advance(TimeSpan.FromDays(5));
            Assert.Equal(0, await bin.PurgeAsync(acme.Tenant.Id, ct));
            Assert.NotNull(await store.GetAsync(acme.Tenant.Id, StandardObjects.Account, oldAccount, ct));

            time.Advance(TimeSpan.FromDays(1));
            Assert.Equal(3, await bin.PurgeAsync(acme.Tenant.Id, ct));
            Assert.Null(await store.GetAsync(acme.Tenant.Id, StandardObjects.Account, oldAccount, ct));
            Assert.Null(await store.GetAsync(acme.Tenant.Id, StandardObjects.Contact, oldContact, ct));
            Assert.Null(await store.GetAsync(acme.Tenant.Id, StandardObjects.Task, oldTask, ct));
            Assert.Equal("NOT_FOUND", (await bin.RestoreAsync(caller, StandardObjects.Account, oldAccount, dryRun: false, ct)).Error?.Code);

            // Another tenant's bin is its own: purging Acme's left it alone.
            Assert.True((await store.GetAsync(globex.Tenant.Id, StandardObjects.Account, otherAccount, ct))?.IsDeleted);
            Assert.Equal(1, await bin.PurgeAsync(globex.Tenant.Id, ct));
            Assert.Null(await store.GetAsync(globex.Tenant.Id, StandardObjects.Account, otherAccount, ct));

            var kept = await store.GetAsync(acme.Tenant.Id, StandardObjects.Contact, recent, ct);
            Assert.True(kept?.IsDeleted);
            Assert.Equal("Live", (await records.GetAsync(caller, StandardObjects.Lead, liveLead, ct)).Value["LastName"]);
            var restored = await bin.RestoreAsync(caller, StandardObjects.Contact, recent, dryRun: false, ct);
            Assert.True(restored.IsOk, restored.Error?.ToString());
            var back = await records.GetAsync(caller, StandardObjects.Contact, recent, ct);
            Assert.True(back.IsOk, back.Error?.ToString());
            Assert.Equal("Recent", back.Value["LastName"]);
            Assert.Equal(time.GetUtcNow().UtcDateTime, back.Value["LastModifiedDate"]);
            Assert.Equal(0, await bin.PurgeAsync(acme.Tenant.Id, ct));
        }
        finally
        {
            await TestDatabase.DropAsync(database);
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    static void AssertSameExceptStamps(JsonElement before, JsonElement after)
    {
        var a = before.EnumerateObject().Where(p => !Stamps.Contains(p.Name)).ToDictionary(p => p.Name, p => p.Value.GetRawText());
        var b = after.EnumerateObject().Where(p => !Stamps.Contains(p.Name)).ToDictionary(p => p.Name, p => p.Value.GetRawText());
        Assert.Equal(a.OrderBy(p => p.Key, StringComparer.Ordinal), b.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    /// <summary>Equal JSON, or the same instant written two ways ("…T09:00:00Z" is read back as "…T09:00:00.000+0000").</summary>
    static bool SameValue(JsonElement sent, JsonElement read) =>
        JsonElement.DeepEquals(sent, read)
        || (sent.ValueKind == JsonValueKind.String && read.ValueKind == JsonValueKind.String && sent.GetString()!.Contains('T')
            && DateTimeOffset.TryParse(sent.GetString(), CultureInfo.InvariantCulture, out var a)
            && DateTimeOffset.TryParseExact(read.GetString(), "yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var b) && a == b);

    static string[] Ids(JsonElement page) => page.GetProperty("records").EnumerateArray().Select(r => r.Str("Id")).ToArray();

    static (string Object, string Id, string Name)[] Listed(JsonElement outcome, string property) =>
        outcome.GetProperty(property).EnumerateArray().Select(r => (r.Str("object"), r.Str("Id"), r.Str("Name"))).Order().ToArray();

    /// <summary>A clock the test moves by hand.</summary>
    sealed class ManualTime(DateTimeOffset start) : TimeProvider
    {
        DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
