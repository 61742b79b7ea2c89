using RevOps.Domain.Metadata;
using RevOps.Domain.Schema;

namespace RevOps.Storage.Tests;

/// <summary>ICustomFieldStore (StorageBackend.CustomFields) through SchemaService: define, list, redefine, use, duplicates, per tenant.</summary>
public sealed class CustomFieldContractTests(BackendFixture backends) : IClassFixture<BackendFixture>
{
    static readonly ObjectMetadata Account = StandardObjects.Account;
    static readonly ObjectMetadata Lead = StandardObjects.Lead;
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, Backends]
    public async Task Save_Definitions_ListedWithTheirFieldMetadata(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);

        await DefineAsync(store, acme, new CustomFieldSpec("Account", "Tier__c", "Picklist", Label: "Tier", Values: ["Gold", "Silver"], Required: false));
        await DefineAsync(store, acme, new CustomFieldSpec("Lead", "Score__c", "Number", Precision: 4, Scale: 1, Description: "Fit score"));
        var listed = await store.Backend.CustomFields.ListAsync(acme.Id, Ct);

        Assert.Equal([("Account", "Tier__c"), ("Lead", "Score__c")], listed.Select(d => (d.Object, d.Field.Name)).Order());
        var tier = listed.Single(d => d.Field.Name == "Tier__c");
        Assert.Equal(FieldType.Picklist, tier.Field.Type);
        Assert.Equal("Tier", tier.Field.Label);
        Assert.Equal(["Gold", "Silver"], tier.Field.PicklistValues);
        var score = listed.Single(d => d.Field.Name == "Score__c");
        Assert.Equal(FieldType.Double, score.Field.Type);
        Assert.Equal(4, score.Field.Precision);
        Assert.Equal(1, score.Field.Scale);
        Assert.Equal("Fit score", score.Field.Description);
    }

    [Theory, Backends]
    public async Task Save_Redefinition_ReplacesTheDefinitionKeepingCreatedAt(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var first = await DefineAsync(store, acme, new CustomFieldSpec("Account", "Region__c", "Text", Label: "Region", Length: 20));

        var second = await DefineAsync(store, acme, new CustomFieldSpec("Account", "Region__c", "Text", Label: "Sales region", Length: 80));
        var listed = Assert.Single(await store.Backend.CustomFields.ListAsync(acme.Id, Ct));

        Assert.Equal("Sales region", listed.Field.Label);
        Assert.Equal(80, listed.Field.Length);
        Assert.Equal(first.CreatedAt, listed.CreatedAt, TimeSpan.FromMilliseconds(1));
        Assert.Equal(second.UpdatedAt, listed.UpdatedAt, TimeSpan.FromMilliseconds(1));
    }

    [Theory, Backends]
    public async Task Record_WithCustomValues_StoresAndReadsThemTyped(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        await DefineAsync(store, acme, new CustomFieldSpec("Lead", "Score__c", "Number", Precision: 4, Scale: 1));
        await DefineAsync(store, acme, new CustomFieldSpec("Lead", "Vip__c", "Checkbox"));
        await DefineAsync(store, acme, new CustomFieldSpec("Lead", "Met__c", "Date"));

        var lead = await acme.CreateAsync(Lead, """{"LastName":"Curie","Company":"Radium Ltd","Score__c":87.5,"Vip__c":true,"Met__c":"2026-02-28"}""", Ct);
        var stored = (await store.Backend.Records.GetAsync(acme.Id, Lead, lead.Id, Ct))!;

        Assert.Equal(["Met__c", "Score__c", "Vip__c"], stored.Custom.Keys);
        Assert.Equal(87.5, stored.Custom["Score__c"].GetDouble());
        Assert.True(stored.Custom["Vip__c"].GetBoolean());
        Assert.Equal("2026-02-28", stored.Custom["Met__c"].GetString());
    }

    [Theory, Backends]
    public async Task Delete_RemovesTheDefinitionAndItsValuesFromEveryRecordOfThatTenantOnly_WithTheAuditRow(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var globex = await store.NewTenantAsync("Globex", Ct);
        await DefineAsync(store, acme, new CustomFieldSpec("Account", "Tier__c", "Text", Length: 10));
        await DefineAsync(store, acme, new CustomFieldSpec("Account", "Kept__c", "Text", Length: 10));
        await DefineAsync(store, globex, new CustomFieldSpec("Account", "Tier__c", "Text", Length: 10));
        var gold = await acme.CreateAsync(Account, """{"Name":"Gold","Tier__c":"G","Kept__c":"k"}""", Ct);
        var plain = await acme.CreateAsync(Account, """{"Name":"Plain"}""", Ct);
        var theirs = await globex.CreateAsync(Account, """{"Name":"Theirs","Tier__c":"T"}""", Ct);
        var field = (await store.Schemas.GetAsync(acme.Id, Account, Ct)).CustomFields.Single(f => f.Name == "Tier__c");
        int? cleared = null;

        Assert.True(await store.Backend.CustomFields.DeleteAsync(acme.Id, Account, field,
            n => { cleared = n; return Domain.Audit.AuditSource.Cli.Entry(acme.Id, DateTime.UtcNow, Domain.Audit.AuditActions.FieldDelete, "Account.Tier__c", "{}"); }, Ct));

        Assert.Equal(1, cleared);
        Assert.Equal(["Kept__c"], (await store.Backend.CustomFields.ListAsync(acme.Id, Ct)).Select(d => d.Field.Name));
        var after = (await store.Backend.Records.GetAsync(acme.Id, Account, gold.Id, Ct))!;
        Assert.Equal(["Kept__c"], after.Custom.Keys);
        Assert.Equal(gold.Version + 1, after.Version);
        Assert.Equal(plain.Version, (await store.Backend.Records.GetAsync(acme.Id, Account, plain.Id, Ct))!.Version);
        Assert.Equal("T", (await store.Backend.Records.GetAsync(globex.Id, Account, theirs.Id, Ct))!.Custom["Tier__c"].GetString());
        Assert.Single(await store.Backend.CustomFields.ListAsync(globex.Id, Ct));
        Assert.False(await store.Backend.CustomFields.DeleteAsync(acme.Id, Account, field,
            _ => throw new InvalidOperationException("no audit row for a field that is not there"), Ct));
    }

    [Theory, Backends]
    public async Task FindDuplicateValue_SharedAndDistinctValues_ReturnsTheSharedOneOrNull(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var globex = await store.NewTenantAsync("Globex", Ct);
        await DefineAsync(store, acme, new CustomFieldSpec("Account", "Code__c", "Text", Length: 10));
        await DefineAsync(store, globex, new CustomFieldSpec("Account", "Code__c", "Text", Length: 10));
        await acme.CreateAsync(Account, """{"Name":"One","Code__c":"C-1"}""", Ct);
        await acme.CreateAsync(Account, """{"Name":"Two","Code__c":"C-2"}""", Ct);
        await globex.CreateAsync(Account, """{"Name":"Elsewhere","Code__c":"C-1"}""", Ct);
        var field = (await store.Schemas.GetAsync(acme.Id, Account, Ct)).CustomFields.Single();

        var distinct = await store.Backend.CustomFields.FindDuplicateValueAsync(acme.Id, Account, field, Ct);
        var three = await acme.CreateAsync(Account, """{"Name":"Three","Code__c":"C-2"}""", Ct);
        var shared = await store.Backend.CustomFields.FindDuplicateValueAsync(acme.Id, Account, field, Ct);
        Assert.True((await store.RecycleBin.DeleteAsync(acme.Caller, Account, three.Id, dryRun: false, Ct)).IsOk);
        var afterDelete = await store.Backend.CustomFields.FindDuplicateValueAsync(acme.Id, Account, field, Ct);

        Assert.Null(distinct);
        Assert.Equal("C-2", shared);
        Assert.Null(afterDelete);
    }

    [Theory, Backends]
    public async Task List_OtherTenantsFields_NeverSeenNorUsable(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var globex = await store.NewTenantAsync("Globex", Ct);
        await DefineAsync(store, acme, new CustomFieldSpec("Account", "Secret__c", "Text", Length: 10));

        var theirs = await store.Backend.CustomFields.ListAsync(globex.Id, Ct);
        var write = await store.RecordService.CreateAsync(globex.Caller, Account, TestStore.Input("""{"Name":"Globex","Secret__c":"x"}"""), Ct);

        Assert.Empty(theirs);
        Assert.False(write.IsOk);
        Assert.Equal("INVALID_FIELD", write.Error.Code);
        Assert.Single(await store.Backend.CustomFields.ListAsync(acme.Id, Ct));
    }

    static async Task<CustomFieldDefinition> DefineAsync(TestStore store, TestTenant tenant, CustomFieldSpec spec)
    {
        var defined = await store.Schemas.DefineAsync(tenant.Caller, spec, Ct);
        Assert.True(defined.IsOk, defined.IsOk ? "" : defined.Error.Message);
        return defined.Value;
    }
}
