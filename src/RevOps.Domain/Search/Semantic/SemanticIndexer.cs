using RevOps.Domain.Changes;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Schema;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Search.Semantic;

/// <summary>
/// Keeps a tenant's semantic index in step with its records, off the write path: a first pass embeds every
/// record, later passes follow the change log from the index's cursor. Each pass holds the tenant's lease,
/// so one node of a cluster does the work; a pass cut short is repeated, and writing the same entries twice
/// is harmless. The tenant's custom objects are indexed with the standard ones (their names and prefixes are the
/// tenant's own, so they are read from its schema).
/// </summary>
public sealed class SemanticIndexer(IVectorStore vectors, IChangeStore changes, IRecordStore records, ITextEmbedder embedder, TimeProvider time, SchemaService schemas)
{
    const int ChangeBatch = 256;
    const int ScanBatch = 200;
    const int EmbedBatch = 32;
    /// <summary>Children re-embedded when an Account's name or industry changes, per object; beyond that they catch up at the next rebuild.</summary>
    const int MaxChildren = 2000;
    static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    /// <summary>This process's name on the leases it takes.</summary>
    public string Owner { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Brings the tenant's index up to date; returns the entries written (0 when another node holds its lease).</summary>
    public async Task<int> CatchUpAsync(TenantId tenant, CancellationToken ct)
    {
        if (!await RenewAsync(tenant, ct)) return 0;
        var state = await vectors.StateAsync(tenant, ct);
        int written = 0;
        long seq;
        if (state is null || !state.Built || state.Model != embedder.Model)
        {
            if (state is not null && state.Model is not null && state.Model != embedder.Model) await vectors.ResetAsync(tenant, ct);
            var built = await BuildAsync(tenant, ct);
            if (built is null) return 0;
            (written, seq) = built.Value;
        }
        else seq = state.Seq;

        while (!ct.IsCancellationRequested)
        {
            var rows = await changes.ListAsync(tenant, new ChangeFilter(seq, ChangeBatch), ct);
            if (rows.Count == 0) break;
            var schema = await SchemaAsync(tenant, rows.Select(r => r.Object), ct);
            var touched = rows.Where(r => Indexed(schema, r.Object)).Select(r => (r.Object, r.RecordId)).Distinct().ToList();
            var entries = await EntriesAsync(tenant, schema, touched, ct);
            if (!await vectors.SaveAsync(tenant, Owner, entries, rows[^1].Seq, built: true, embedder.Model, ct)) return written;
            written += entries.Count;
            seq = rows[^1].Seq;
            if (!await RenewAsync(tenant, ct)) break;
        }
        return written;
    }

    /// <summary>Embeds every live record; returns the entries written and the sequence the index then stands at, or null when the lease was lost.</summary>
    async Task<(int Written, long Seq)?> BuildAsync(TenantId tenant, CancellationToken ct)
    {
        // Changes committed from here on are replayed after the scan, so none is missed.
        long start = await changes.LatestSeqAsync(tenant, ct);
        int written = 0;
        var schema = await schemas.GetAsync(tenant, ct);
        foreach (var obj in EmbeddingText.Indexed.Concat(schema.CustomObjects))
        {
            string? last = null;
            while (true)
            {
                var page = await records.QueryAsync(tenant, obj, AfterId(obj, last), ct);
                if (page.Count == 0) break;
                last = page[^1].Id;
                var entries = await EntriesAsync(tenant, schema, page, ct);
                if (!await vectors.SaveAsync(tenant, Owner, entries, 0, built: false, embedder.Model, ct)) return null;
                written += entries.Count;
                if (!await RenewAsync(tenant, ct)) return null;
                if (page.Count < ScanBatch) break;
            }
        }
        if (!await vectors.SaveAsync(tenant, Owner, [], start, built: true, embedder.Model, ct)) return null;
        return (written, start);
    }

    static RecordQuery AfterId(ObjectMetadata obj, string? last, string? accountId = null)
    {
        var conditions = new List<IReadOnlyList<Condition>>();
        if (last is not null) conditions.Add([new Condition(obj.Field("Id"), ConditionOp.Greater, last)]);
        if (accountId is not null) conditions.Add([new Condition(obj.Field("AccountId"), ConditionOp.Equals, accountId)]);
        return new RecordQuery(conditions, obj.Field("Id"), false, ScanBatch);
    }

    static bool Indexed(TenantSchema schema, string obj) =>
        EmbeddingText.Indexed.Any(o => o.Name == obj) || schema.CustomObjects.Any(o => o.Name == obj);

    /// <summary>
    /// The tenant's schema, read again when a change names a custom object the cached copy lacks (defined a moment ago
    /// on another node or from the CLI): skipping its records would leave them out of the index until a rebuild.
    /// </summary>
    async ValueTask<TenantSchema> SchemaAsync(TenantId tenant, IEnumerable<string> objects, CancellationToken ct)
    {
        var schema = await schemas.GetAsync(tenant, ct);
        if (objects.All(o => !o.EndsWith("__c", StringComparison.OrdinalIgnoreCase) || schema.CustomObjects.Any(c => c.Name == o))) return schema;
        schemas.Forget(tenant);
        return await schemas.GetAsync(tenant, ct);
    }

    Task<bool> RenewAsync(TenantId tenant, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return vectors.TryLeaseAsync(tenant, Owner, now, now + Lease, ct);
    }

    /// <summary>Entries for records named in the change log: their state now, a tombstone when gone, and an Account's children for its new name or industry.</summary>
    async Task<IReadOnlyList<RecordVector>> EntriesAsync(TenantId tenant, TenantSchema schema, IReadOnlyList<(string Object, string Id)> touched, CancellationToken ct)
    {
        var live = new List<Record>();
        var gone = new List<RecordVector>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (objName, id) in touched)
        {
            if (!schema.TryGetObject(objName, out var obj) || !seen.Add(id)) continue;
            var record = await records.GetAsync(tenant, obj, id, ct);
            if (record is null || record.IsDeleted) gone.Add(new RecordVector(objName, id, null, null, null, null, null, null));
            else live.Add(record);
        }
        foreach (var account in live.Where(r => r.Object == StandardObjects.Account).ToList())
            foreach (var child in new[] { StandardObjects.Contact, StandardObjects.Opportunity })
            {
                string? last = null;
                for (int n = 0; n < MaxChildren; n += ScanBatch)
                {
                    var page = await records.QueryAsync(tenant, child, AfterId(child, last, account.Id), ct);
                    live.AddRange(page.Where(r => seen.Add(r.Id)));
                    if (page.Count < ScanBatch) break;
                    last = page[^1].Id;
                }
            }
        return [.. gone, .. await EntriesAsync(tenant, schema, live, ct)];
    }

    async Task<IReadOnlyList<RecordVector>> EntriesAsync(TenantId tenant, TenantSchema schema, IReadOnlyList<Record> live, CancellationToken ct)
    {
        var accounts = live.Where(r => r.Object == StandardObjects.Account).ToDictionary(r => r.Id, r => (Record?)r, StringComparer.Ordinal);
        var contexts = new Record?[live.Count];
        for (int i = 0; i < live.Count; i++)
        {
            if (EmbeddingText.AccountId(live[i]) is not { } accountId) continue;
            if (!accounts.TryGetValue(accountId, out var account))
            {
                account = await records.GetAsync(tenant, StandardObjects.Account, accountId, ct);
                accounts[accountId] = account is { IsDeleted: false } ? account : null;
            }
            contexts[i] = accounts[accountId];
        }
        var texts = live.Select((r, i) => EmbeddingText.Build(r, contexts[i], schema.For(r.Object))).ToArray();
        var entries = new List<RecordVector>(live.Count);
        for (int from = 0; from < texts.Length; from += EmbedBatch)
        {
            var batch = texts.AsSpan(from, Math.Min(EmbedBatch, texts.Length - from)).ToArray();
            var embedded = await Task.Run(() => embedder.EmbedDocuments(batch, ct), ct);
            for (int j = 0; j < embedded.Length; j++) entries.Add(EmbeddingText.Entry(live[from + j], contexts[from + j], embedded[j]));
        }
        return entries;
    }
}
