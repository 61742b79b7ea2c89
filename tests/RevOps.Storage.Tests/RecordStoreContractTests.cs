using System.Text.Json;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Schema;

namespace RevOps.Storage.Tests;

/// <summary>IRecordStore (StorageBackend.Records): commit, read, query, count, unique values, purge; the same on every backend.</summary>
public sealed class RecordStoreContractTests(BackendFixture backends) : IClassFixture<BackendFixture>
{
    static readonly ObjectMetadata Account = StandardObjects.Account;
    static readonly ObjectMetadata Contact = StandardObjects.Contact;
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, Backends]
    public async Task Open_FreshDatabase_ReportsItsKind(string kind)
    {
        var store = await backends.SharedAsync(kind);

        Assert.Equal(kind, store.Backend.Kind);
        Assert.True(store.Backend.SchemaVersion > 0);
    }

    [Theory, Backends]
    public async Task Commit_Insert_GetReturnsEveryValueAtVersion1(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);

        var created = await acme.CreateAsync(Account, """{"Name":"Acme Corp","Industry":"Energy","AnnualRevenue":1250000,"NumberOfEmployees":42,"BillingCity":"Oslo"}""", Ct);
        var stored = await store.Backend.Records.GetAsync(acme.Id, Account, created.Id, Ct);

        Assert.NotNull(stored);
        Assert.Equal(1, stored.Version);
        Assert.Equal(created.Id, stored.Id);
        Assert.Equal("Acme Corp", stored["Name"]);
        Assert.Equal("Energy", stored["Industry"]);
        Assert.Equal(1250000d, stored["AnnualRevenue"]);
        Assert.Equal(42L, stored["NumberOfEmployees"]);
        Assert.Equal("Oslo", stored["BillingCity"]);
        Assert.Equal(false, stored["IsDeleted"]);
        Assert.Equal((acme.User.Id, acme.User.Id), (stored["CreatedById"], stored["OwnerId"]));
        Assert.Equal(created["CreatedDate"], stored["CreatedDate"]);
        Assert.Null(stored["Phone"]);
        Assert.Null(stored.DeletedAt);
        Assert.True(await store.Backend.Records.ExistsAsync(acme.Id, Account, created.Id, Ct));
    }

    [Theory, Backends]
    public async Task Commit_UpdateAtCurrentVersion_BumpsVersionAndStoresValues(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var created = await acme.CreateAsync(Account, """{"Name":"Acme Corp"}""", Ct);

        var before = (await store.Backend.Records.GetAsync(acme.Id, Account, created.Id, Ct))!;
        var after = before.Copy();
        after["Phone"] = "+47 555 0100";
        var result = await store.Backend.Records.CommitAsync(acme.Id,
            [new RecordWrite(after, before.Version, Change(acme, after, ChangeOperations.Updated, new FieldChange("Phone", null, "+47 555 0100")))], null, Ct);
        var stored = (await store.Backend.Records.GetAsync(acme.Id, Account, created.Id, Ct))!;

        Assert.True(result.Committed);
        Assert.Single(result.Sequences);
        Assert.Equal(2, stored.Version);
        Assert.Equal("+47 555 0100", stored["Phone"]);
        Assert.Equal("Acme Corp", stored["Name"]);
    }

    [Theory, Backends]
    public async Task Commit_UpdateAtStaleVersion_FailsWithVersionConflictAndWritesNothing(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var created = await acme.CreateAsync(Account, """{"Name":"Acme Corp"}""", Ct);
        var stale = (await store.Backend.Records.GetAsync(acme.Id, Account, created.Id, Ct))!;
        await acme.UpdateAsync(Account, created.Id, """{"Name":"Acme Holdings"}""", Ct);
        long seqBefore = await store.Backend.ChangeLog.LatestSeqAsync(acme.Id, Ct);

        var lost = stale.Copy();
        lost["Name"] = "Acme Lost Update";
        var result = await store.Backend.Records.CommitAsync(acme.Id,
            [new RecordWrite(lost, stale.Version, Change(acme, lost, ChangeOperations.Updated, new FieldChange("Name", "Acme Corp", "Acme Lost Update")))], null, Ct);
        var stored = (await store.Backend.Records.GetAsync(acme.Id, Account, created.Id, Ct))!;

        Assert.False(result.Committed);
        Assert.Equal(CommitFailure.VersionConflict, result.Failure);
        Assert.Empty(result.Sequences);
        Assert.Equal("Acme Holdings", stored["Name"]);
        Assert.Equal(2, stored.Version);
        Assert.Equal(seqBefore, await store.Backend.ChangeLog.LatestSeqAsync(acme.Id, Ct));
    }

    [Theory, Backends]
    public async Task Commit_SeveralWritesOneStale_WritesNoneOfThem(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var first = await acme.CreateAsync(Account, """{"Name":"First"}""", Ct);
        var second = await acme.CreateAsync(Account, """{"Name":"Second"}""", Ct);
        await acme.UpdateAsync(Account, second.Id, """{"Name":"Second v2"}""", Ct);

        var a = first.Copy();
        a["Name"] = "First v2";
        var b = second.Copy(); // version 1, stored is 2
        b["Name"] = "Second v3";
        var result = await store.Backend.Records.CommitAsync(acme.Id,
        [
            new RecordWrite(a, 1, Change(acme, a, ChangeOperations.Updated, new FieldChange("Name", "First", "First v2"))),
            new RecordWrite(b, 1, Change(acme, b, ChangeOperations.Updated, new FieldChange("Name", "Second", "Second v3"))),
        ], null, Ct);

        Assert.Equal(CommitFailure.VersionConflict, result.Failure);
        Assert.Equal("First", (await store.Backend.Records.GetAsync(acme.Id, Account, first.Id, Ct))!["Name"]);
        Assert.Equal("Second v2", (await store.Backend.Records.GetAsync(acme.Id, Account, second.Id, Ct))!["Name"]);
        Assert.Equal(3, await store.Backend.ChangeLog.LatestSeqAsync(acme.Id, Ct));
    }

    [Theory, Backends]
    public async Task Get_UnknownOrOtherTenantsId_ReturnsNull(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var globex = await store.NewTenantAsync("Globex", Ct);
        var created = await acme.CreateAsync(Account, """{"Name":"Acme Corp"}""", Ct);

        Assert.Null(await store.Backend.Records.GetAsync(globex.Id, Account, created.Id, Ct));
        Assert.False(await store.Backend.Records.ExistsAsync(globex.Id, Account, created.Id, Ct));
        Assert.Null(await store.Backend.Records.GetAsync(acme.Id, Account, "001000000000000AAA", Ct));
        Assert.False(await store.Backend.Records.ExistsAsync(acme.Id, Account, "001000000000000AAA", Ct));
    }

    [Theory, Backends]
    public async Task Query_FiltersOrderLimitOffset_ReturnsExactPage(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var globex = await store.NewTenantAsync("Globex", Ct);
        foreach (var (name, industry, employees) in new[] { ("Alpha", "Energy", 10), ("Bravo", "Energy", 20), ("Charlie", "Banking", 30), ("Delta", "Energy", 40), ("Echo", "Energy", 50) })
            await acme.CreateAsync(Account, $$"""{"Name":"{{name}}","Industry":"{{industry}}","NumberOfEmployees":{{employees}}}""", Ct);
        await globex.CreateAsync(Account, """{"Name":"Foxtrot","Industry":"Energy","NumberOfEmployees":60}""", Ct);

        var energy = new Condition(Account.Field("Industry"), ConditionOp.Equals, "Energy");
        var atLeast20 = new Condition(Account.Field("NumberOfEmployees"), ConditionOp.GreaterOrEqual, 20L);
        var query = new RecordQuery([[energy], [atLeast20]], Account.Field("NumberOfEmployees"), Descending: true, Limit: 2) { Offset = 1 };
        var page = await store.Backend.Records.QueryAsync(acme.Id, Account, query, Ct);
        long count = await store.Backend.Records.CountAsync(acme.Id, Account, query, Ct);

        Assert.Equal(["Delta", "Bravo"], page.Select(r => (string)r["Name"]!));
        Assert.Equal(3, count); // Echo, Delta, Bravo: limit and offset ignored
    }

    [Theory, Backends]
    public async Task Query_AnyOfAndStartsWith_MatchesEitherCondition(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        foreach (var name in new[] { "Northwind", "Northstar", "Contoso", "Fabrikam" })
            await acme.CreateAsync(Account, $$"""{"Name":"{{name}}"}""", Ct);

        var name0 = Account.Field("Name");
        var query = new RecordQuery([[new Condition(name0, ConditionOp.StartsWith, "North"), new Condition(name0, ConditionOp.Equals, "Fabrikam")]], name0, Descending: false, Limit: 10);

        Assert.Equal(["Fabrikam", "Northstar", "Northwind"], (await store.Backend.Records.QueryAsync(acme.Id, Account, query, Ct)).Select(r => (string)r["Name"]!));
        Assert.Equal(3, await store.Backend.Records.CountAsync(acme.Id, Account, query, Ct));
    }

    [Theory, Backends]
    public async Task Query_CustomFieldConditionAndOrder_UsesStoredCustomValues(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var defined = await store.Schemas.DefineAsync(acme.Caller, new CustomFieldSpec("Account", "Score__c", "Number", Precision: 5, Scale: 0), Ct);
        Assert.True(defined.IsOk);
        await acme.CreateAsync(Account, """{"Name":"Low","Score__c":5}""", Ct);
        await acme.CreateAsync(Account, """{"Name":"High","Score__c":90}""", Ct);
        await acme.CreateAsync(Account, """{"Name":"Mid","Score__c":40}""", Ct);
        await acme.CreateAsync(Account, """{"Name":"None"}""", Ct);

        var schema = await store.Schemas.GetAsync(acme.Id, Account, Ct);
        Assert.True(schema.TryGetCustom("Score__c", out var score));
        var query = new RecordQuery([[new Condition(score, ConditionOp.Greater, 10d)]], score, Descending: false, Limit: 10);
        var rows = await store.Backend.Records.QueryAsync(acme.Id, Account, query, Ct);
        var absent = new RecordQuery([[new Condition(score, ConditionOp.Equals, null)]], Account.Field("Name"), Descending: false, Limit: 10);

        Assert.Equal(["Mid", "High"], rows.Select(r => (string)r["Name"]!));
        Assert.Equal([40d, 90d], rows.Select(r => r.Custom["Score__c"].GetDouble()));
        Assert.Equal(2, await store.Backend.Records.CountAsync(acme.Id, Account, query, Ct));
        Assert.Equal(["None"], (await store.Backend.Records.QueryAsync(acme.Id, Account, absent, Ct)).Select(r => (string)r["Name"]!));
    }

    [Theory, Backends]
    public async Task Commit_UniqueCustomValueTaken_FailsWithDuplicateValueNamingTheHolder(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var globex = await store.NewTenantAsync("Globex", Ct);
        foreach (var tenant in new[] { acme, globex })
            Assert.True((await store.Schemas.DefineAsync(tenant.Caller, new CustomFieldSpec("Account", "Code__c", "Text", Length: 20, Unique: true), Ct)).IsOk);
        var holder = await acme.CreateAsync(Account, """{"Name":"Holder","Code__c":"A-1"}""", Ct);

        var duplicate = await store.RecordService.CreateAsync(acme.Caller, Account, TestStore.Input("""{"Name":"Copy","Code__c":"A-1"}"""), Ct);
        var otherTenant = await globex.CreateAsync(Account, """{"Name":"Same code elsewhere","Code__c":"A-1"}""", Ct);

        Assert.False(duplicate.IsOk);
        Assert.Equal("DUPLICATE_VALUE", duplicate.Error.Code);
        Assert.Equal("Code__c", duplicate.Error.Field);
        Assert.Contains(holder.Id, duplicate.Error.Message);
        Assert.Equal("A-1", otherTenant.Custom["Code__c"].GetString());
        var names = await store.Backend.Records.QueryAsync(acme.Id, Account, new RecordQuery([], Account.Field("Name"), false, 10), Ct);
        Assert.Equal(["Holder"], names.Select(r => (string)r["Name"]!));
    }

    [Theory, Backends]
    public async Task Commit_UniqueCustomValueOfDeletedRecord_IsFreeAgain(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        Assert.True((await store.Schemas.DefineAsync(acme.Caller, new CustomFieldSpec("Account", "Code__c", "Text", Length: 20, Unique: true), Ct)).IsOk);
        var first = await acme.CreateAsync(Account, """{"Name":"First","Code__c":"X-9"}""", Ct);
        Assert.True((await store.RecycleBin.DeleteAsync(acme.Caller, Account, first.Id, dryRun: false, Ct)).IsOk);

        var second = await acme.CreateAsync(Account, """{"Name":"Second","Code__c":"X-9"}""", Ct);

        Assert.Equal("X-9", (await store.Backend.Records.GetAsync(acme.Id, Account, second.Id, Ct))!.Custom["Code__c"].GetString());
    }

    [Theory, Backends]
    public async Task Query_Deleted_ReadsRecycleBinOnly(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var kept = await acme.CreateAsync(Account, """{"Name":"Kept"}""", Ct);
        var binned = await acme.CreateAsync(Account, """{"Name":"Binned"}""", Ct);
        Assert.True((await store.RecycleBin.DeleteAsync(acme.Caller, Account, binned.Id, dryRun: false, Ct)).IsOk);

        var live = await store.Backend.Records.QueryAsync(acme.Id, Account, new RecordQuery([], Account.Field("Name"), false, 10), Ct);
        var deleted = await store.Backend.Records.QueryAsync(acme.Id, Account, new RecordQuery([], Account.Field("Name"), false, 10) { Deleted = true }, Ct);
        var stored = (await store.Backend.Records.GetAsync(acme.Id, Account, binned.Id, Ct))!;

        Assert.Equal([kept.Id], live.Select(r => r.Id));
        Assert.Equal([binned.Id], deleted.Select(r => r.Id));
        Assert.True(stored.IsDeleted);
        Assert.NotNull(stored.DeletedAt);
        Assert.Equal(2, stored.Version);
        Assert.False(await store.Backend.Records.ExistsAsync(acme.Id, Account, binned.Id, Ct));
    }

    [Theory, Backends]
    public async Task Purge_DeletedBeforeCutoff_RemovesOnlyThoseOfTheTenant(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var globex = await store.NewTenantAsync("Globex", Ct);
        var kept = await acme.CreateAsync(Account, """{"Name":"Kept"}""", Ct);
        var binned = await acme.CreateAsync(Account, """{"Name":"Binned"}""", Ct);
        var theirs = await globex.CreateAsync(Account, """{"Name":"Theirs"}""", Ct);
        Assert.True((await store.RecycleBin.DeleteAsync(acme.Caller, Account, binned.Id, dryRun: false, Ct)).IsOk);
        Assert.True((await store.RecycleBin.DeleteAsync(globex.Caller, Account, theirs.Id, dryRun: false, Ct)).IsOk);
        var now = DateTime.UtcNow;

        int early = await store.Backend.Records.PurgeAsync(acme.Id, now.AddHours(-1), now.AddDays(-1), Ct);
        int late = await store.Backend.Records.PurgeAsync(acme.Id, now.AddHours(1), now.AddDays(-1), Ct);

        Assert.Equal(0, early);
        Assert.Equal(1, late);
        Assert.Null(await store.Backend.Records.GetAsync(acme.Id, Account, binned.Id, Ct));
        Assert.NotNull(await store.Backend.Records.GetAsync(acme.Id, Account, kept.Id, Ct));
        Assert.True((await store.Backend.Records.GetAsync(globex.Id, Account, theirs.Id, Ct))!.IsDeleted);
    }

    [Theory, Backends]
    public async Task Query_OtherTenantsRecords_NeverSeen(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var globex = await store.NewTenantAsync("Globex", Ct);
        await acme.CreateAsync(Contact, """{"LastName":"Lovelace","Email":"ada@acme.test"}""", Ct);

        var byEmail = new RecordQuery([[new Condition(Contact.Field("Email"), ConditionOp.Equals, "ada@acme.test")]], Contact.Field("Id"), false, 10);
        var all = new RecordQuery([], Contact.Field("Id"), false, 10);

        Assert.Empty(await store.Backend.Records.QueryAsync(globex.Id, Contact, byEmail, Ct));
        Assert.Empty(await store.Backend.Records.QueryAsync(globex.Id, Contact, all, Ct));
        Assert.Equal(0, await store.Backend.Records.CountAsync(globex.Id, Contact, all, Ct));
        Assert.Equal(1, await store.Backend.Records.CountAsync(acme.Id, Contact, all, Ct));
    }

    /// <summary>
    /// Many tenants' reads at once. On PostgreSQL they share the multiplexed read pool's connections, several callers'
    /// statements in one write to the server, each with its own entry into its tenant: none may see another's rows.
    /// </summary>
    [Theory, Backends]
    public async Task ConcurrentReadsOfManyTenants_EachSeesOnlyItsOwnRows(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var tenants = new List<(TestTenant Tenant, string ContactId)>();
        for (int i = 0; i < 6; i++)
        {
            var tenant = await store.NewTenantAsync($"Tenant {i}", Ct);
            var contact = await tenant.CreateAsync(Contact, $$"""{"LastName":"Owner{{i}}"}""", Ct);
            tenants.Add((tenant, contact.Id));
        }
        var all = new RecordQuery([], Contact.Field("Id"), false, 10);

        // Every tenant asks for every tenant's contact, and for its whole list, 10 times over, all at once.
        var reads = Enumerable.Range(0, 10).SelectMany(_ =>
            from reader in Enumerable.Range(0, tenants.Count)
            from owner in Enumerable.Range(0, tenants.Count)
            select ReadAsync(reader, owner)).ToList();
        var seen = await Task.WhenAll(reads);

        Assert.Equal(10 * tenants.Count * tenants.Count, seen.Length);
        foreach (var (reader, owner, got, listed) in seen)
        {
            Assert.Equal(reader == owner ? $"Owner{owner}" : null, got);
            Assert.Equal([$"Owner{reader}"], listed);
        }

        async Task<(int Reader, int Owner, string? Got, string[] Listed)> ReadAsync(int reader, int owner)
        {
            await Task.Yield();
            var tenant = tenants[reader].Tenant.Id;
            var record = await store.Backend.Records.GetAsync(tenant, Contact, tenants[owner].ContactId, Ct);
            var list = await store.Backend.Records.QueryAsync(tenant, Contact, all, Ct);
            return (reader, owner, record?["LastName"] as string, [.. list.Select(r => (string)r["LastName"]!)]);
        }
    }

    [Theory, Backends]
    public async Task Commit_UpdateOfOtherTenantsRecord_ChangesNothing(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var globex = await store.NewTenantAsync("Globex", Ct);
        var created = await acme.CreateAsync(Account, """{"Name":"Acme Corp"}""", Ct);

        var hijack = created.Copy();
        hijack["Name"] = "Hijacked";
        var result = await store.Backend.Records.CommitAsync(globex.Id,
            [new RecordWrite(hijack, 1, Change(globex, hijack, ChangeOperations.Updated, new FieldChange("Name", "Acme Corp", "Hijacked")))], null, Ct);

        Assert.Equal(CommitFailure.VersionConflict, result.Failure);
        Assert.Equal("Acme Corp", (await store.Backend.Records.GetAsync(acme.Id, Account, created.Id, Ct))!["Name"]);
        Assert.Equal(0, await store.Backend.ChangeLog.LatestSeqAsync(globex.Id, Ct));
    }

    [Theory, Backends]
    public async Task Commit_ManyNewRecordsOfTwoObjects_StoresEachRowWithItsOwnValuesAndChange(string kind)
    {
        // More new rows than one multi-row INSERT takes, with another object between them, so the rows go in as
        // several statements of different sizes; each row must come back with its own values, none shifted.
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var account = await acme.CreateAsync(Account, """{"Name":"Template","Industry":"Energy","AnnualRevenue":1250000.25,"NumberOfEmployees":42}""", Ct);
        var contact = await acme.CreateAsync(Contact, """{"LastName":"Template","Email":"t@acme.test"}""", Ct);
        var ids = Domain.Ids.IdGenerator.WithRandomNode();
        var records = new List<Record>();
        for (int i = 0; i < 21; i++)
        {
            var record = (i == 9 ? contact : account).Copy();
            record["Id"] = ids.NewId(record.Object.KeyPrefix);
            if (i == 9) record["LastName"] = "Between";
            else
            {
                record["Name"] = $"Account {i}";
                record["NumberOfEmployees"] = (long)i;
                record["AnnualRevenue"] = i * 1.5;
                record["Phone"] = i % 2 == 0 ? null : $"+47 555 01{i:00}";
            }
            records.Add(record);
        }
        long seqBefore = await store.Backend.ChangeLog.LatestSeqAsync(acme.Id, Ct);

        var result = await store.Backend.Records.CommitAsync(acme.Id,
            records.Select(r => new RecordWrite(r, null, Change(acme, r, ChangeOperations.Created))).ToArray(), null, Ct);

        Assert.True(result.Committed);
        Assert.Equal(Enumerable.Range(1, 21).Select(i => seqBefore + i), result.Sequences);
        foreach (var record in records)
        {
            var stored = (await store.Backend.Records.GetAsync(acme.Id, record.Object, record.Id, Ct))!;
            Assert.Equal(1, stored.Version);
            Assert.Equal(record.Values, stored.Values);
        }
        Assert.Equal(seqBefore + 21, await store.Backend.ChangeLog.LatestSeqAsync(acme.Id, Ct));
    }

    internal static ChangeEntry Change(TestTenant tenant, Record record, string operation, params FieldChange[] changes) =>
        ChangeEntry.By(tenant.Caller, record.Object.Name, record.Id, operation, changes, DateTime.UtcNow);

    internal static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
