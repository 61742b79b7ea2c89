using RevOps.Domain.Duplicates;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Storage.Records;
using RevOps.Storage.Sqlite;

namespace RevOps.Server.Tests;

/// <summary>
/// Migration 0008 tells the planner that tenant_id alone is not selective. Without it, a filtered list
/// ordered by another column walked the whole tenant in that column's index (3.5 s for one email on a
/// 1M-contact tenant). The plans are checked on an empty database: they come from the statistics, not the data.
/// </summary>
public sealed class PlannerStatsTests : IAsyncLifetime
{
    readonly string _folder = Path.Combine(Path.GetTempPath(), "revops-plans-" + Guid.NewGuid().ToString("N"));
    SqliteDatabase _db = null!;

    public ValueTask InitializeAsync()
    {
        _db = SqliteDatabase.Open(Path.Combine(_folder, "revops.db"));
        return ValueTask.CompletedTask;
    }

    [Fact]
    public void SearchContactsByEmail_OrderedByName_SeeksTheEmailIndex()
    {
        var contact = StandardObjects.Contact;
        var plan = Plan(contact, new RecordQuery([[new Condition(contact.Field("Email"), ConditionOp.Equals, "ada@example.com")]], contact.Field("Name"), false, 26));
        Assert.Contains("USING INDEX ix_contact_email (tenant_id=? AND Email=?)", plan);
    }

    [Fact]
    public void SearchContactsByNamePrefix_OrderedByName_SeeksEachNameIndexByRange()
    {
        var contact = StandardObjects.Contact;
        var anyName = new[] { "FirstName", "LastName", "Name" }.Select(f => new Condition(contact.Field(f), ConditionOp.StartsWith, "Sarah Jo")).ToArray();
        var plan = Plan(contact, new RecordQuery([anyName], contact.Field("Name"), false, 26));
        Assert.Contains("MULTI-INDEX OR", plan);
        Assert.Contains("ix_contact_first_name (tenant_id=? AND FirstName>? AND FirstName<?)", plan);
        Assert.Contains("ix_contact_last_name (tenant_id=? AND LastName>? AND LastName<?)", plan);
        Assert.Contains("ix_contact_name (tenant_id=? AND Name>? AND Name<?)", plan);
    }

    [Fact]
    public void ListContacts_NoFilter_WalksTheOrderIndexInsteadOfSorting()
    {
        var contact = StandardObjects.Contact;
        var plan = Plan(contact, new RecordQuery([], contact.Field("Name"), false, 26));
        Assert.Contains("USING INDEX ix_contact_name (tenant_id=?)", plan);
        Assert.DoesNotContain("USE TEMP B-TREE FOR ORDER BY", plan);
    }

    [Fact]
    public void SearchContactsByPhone_SeeksBothPartialPhoneIndexes()
    {
        var contact = StandardObjects.Contact;
        var anyPhone = new[] { "Phone", "MobilePhone" }.Select(f => new Condition(contact.Field(f), ConditionOp.Equals, "+1 415 555 0100")).ToArray();
        var plan = Plan(contact, new RecordQuery([anyPhone], contact.Field("Name"), false, 26));
        Assert.Contains("MULTI-INDEX OR", plan);
        Assert.Contains("USING INDEX ix_contact_phone (tenant_id=? AND Phone=?)", plan);
        Assert.Contains("USING INDEX ix_contact_mobile (tenant_id=? AND MobilePhone=?)", plan);
    }

    [Fact]
    public void ContactsOfAnAccount_SeekThePartialAccountIndex()
    {
        var contact = StandardObjects.Contact;
        var plan = Plan(contact, new RecordQuery([[new Condition(contact.Field("AccountId"), ConditionOp.Equals, "001000000000001AAA")]], contact.Field("Name"), false, 26));
        Assert.Contains("USING INDEX ix_contact_account (tenant_id=? AND AccountId=?)", plan);
    }

    /// <summary>
    /// Migration 0041 made the key indexes partial (no entry for a NULL key); SQLite uses a partial index only when the
    /// query implies its condition. Each duplicate look-up must still seek its index by tenant and key (a phone: both its
    /// indexes), not walk the tenant's documents.
    /// </summary>
    [Theory]
    [InlineData(DuplicateKey.Email, new[] { "ix_search_doc_email_key" })]
    [InlineData(DuplicateKey.Name, new[] { "ix_search_doc_name_key" })]
    [InlineData(DuplicateKey.Phone, new[] { "ix_search_doc_phone_key", "ix_search_doc_mobile_key" })]
    [InlineData(DuplicateKey.Website, new[] { "ix_search_doc_web_key" })]
    public void DuplicateLookUp_SeeksEachIndexOfItsKey(DuplicateKey key, string[] indexes)
    {
        string sql = new Storage.Duplicates.DuplicateStore(_db).FindSql(key);
        var plan = _db.Read(session =>
        {
            var command = session.Command("EXPLAIN QUERY PLAN " + sql);
            session.Dialect.AddTenant(command, new Domain.Tenancy.TenantId(Guid.NewGuid()));
            session.Dialect.AddParents(command, ["4155550100"]);
            session.Dialect.AddLong(command, "@limit", 10);
            using var reader = command.ExecuteReader();
            var lines = new List<string>();
            while (reader.Read()) lines.Add(reader.GetString(3));
            return lines;
        });
        var searches = plan.Where(l => l.StartsWith("SEARCH search_doc", StringComparison.Ordinal)).ToList();
        Assert.Equal(indexes.Select(i => $"SEARCH search_doc USING INDEX {i} (tenant_id=? AND {(key == DuplicateKey.Website ? "web_host" : "<expr>")}=?)"), searches);
        Assert.DoesNotContain(plan, l => l.StartsWith("SCAN search_doc", StringComparison.Ordinal));
    }

    /// <summary>EXPLAIN QUERY PLAN of the statement RecordStore runs on SQLite for the query, one detail per line.</summary>
    string Plan(ObjectMetadata obj, RecordQuery query)
    {
        var where = new RecordQuerySql(obj, query, SqliteDialect.Instance);
        return _db.Read(session =>
        {
            var command = session.Command($"EXPLAIN QUERY PLAN SELECT Id {where.From} {where.OrderBy} LIMIT 26");
            where.Bind(command, new Domain.Tenancy.TenantId(Guid.NewGuid()));
            using var reader = command.ExecuteReader();
            var lines = new List<string>();
            while (reader.Read()) lines.Add(reader.GetString(3));
            return string.Join('\n', lines);
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _db.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
