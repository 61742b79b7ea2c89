using System.Diagnostics;
using RevOps.Domain;
using RevOps.Domain.Ids;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Schema;
using RevOps.Domain.Tenancy;

namespace RevOps.Cli.DemoData;

/// <summary>
/// Fills one tenant: Accounts, Contacts (each belongs to an Account), Opportunities (of Accounts,
/// with stages, amounts and close dates) and Tasks (about an Opportunity or Account, with a Contact
/// of that Account as WhoId). Every record goes through the domain's create validation and is
/// committed through the record store with its change-log row, so it is indistinguishable from one
/// created over MCP or REST.
/// </summary>
internal sealed class TenantGenerator(IRecordStore store, SchemaService schemas, int batchSize, Action<string> log)
{
    /// <summary>The dataset's history: records are created between these instants, in Id order.</summary>
    static readonly DateTimeOffset HistoryStart = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    static readonly DateTimeOffset HistoryEnd = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public sealed record Request(TenantService.NewTenant Tenant, TenantSizes Sizes, int Seed, int NodeId, bool Large, int SampleSize, string? ContactIdsPath);

    public async Task<TenantManifest> GenerateAsync(Request request, CancellationToken ct)
    {
        var (tenant, sizes) = (request.Tenant, request.Sizes);
        // Two clock reads per record (its Id and its audit stamps) spread the records evenly over the history.
        var step = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, (HistoryEnd - HistoryStart).Ticks / Math.Max(1, 2 * sizes.Records)));
        var clock = new DatasetClock(HistoryStart, step);
        var records = new RecordService(store, schemas, new IdGenerator(request.NodeId, clock), clock);
        var caller = new Caller(tenant.Tenant.Id, tenant.FirstUser.Id, Scopes.Read | Scopes.Write, "cli") { RequestId = "demo-data", ActorName = tenant.FirstUser.Name, KeyId = tenant.Key.Id };
        var faker = new CrmFaker(request.Seed, DateOnly.FromDateTime(HistoryEnd.UtcDateTime));
        var committer = new BatchCommitter(store, tenant.Tenant.Id, batchSize);
        var written = new HashSet<string>(StringComparer.Ordinal);
        var label = request.Large ? $"tenant {tenant.Tenant.Id} (large)" : null;

        async Task<string> Create(ObjectMetadata obj, RecordInput input)
        {
            var prepared = await records.PrepareCreateAsync(caller, obj, input, written, ct);
            // The faker only sends values the metadata allows: a refusal is a generator bug, not data to skip.
            if (!prepared.IsOk) throw new InvalidOperationException($"Generated {obj.Name} was refused: {prepared.Error.Code}: {prepared.Error.Message}");
            string id = prepared.Value.Record.Id;
            written.Add(id);
            await committer.AddAsync(prepared.Value, ct);
            return id;
        }

        long started = Stopwatch.GetTimestamp();
        void Done(string what, int count)
        {
            if (label is null) return;
            double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            log($"{label}: {what} {count:N0} generated; {committer.Committed:N0} records committed so far, {committer.Committed / Math.Max(seconds, 1e-3):N0} records/s");
        }

        var accountIds = new string[sizes.Accounts];
        var accountNames = new string[sizes.Accounts];
        var accountDomains = new string[sizes.Accounts];
        var accountSamples = new List<AccountSample>();
        int accountStride = Stride(sizes.Accounts, request.SampleSize);
        for (int i = 0; i < sizes.Accounts; i++)
        {
            var input = faker.Account(i, out accountNames[i], out accountDomains[i]);
            accountIds[i] = await Create(StandardObjects.Account, input);
            if (i % accountStride == 0 && accountSamples.Count < request.SampleSize) accountSamples.Add(new AccountSample(accountIds[i], accountNames[i]));
        }
        Done("accounts", sizes.Accounts);

        // Contact i belongs to account i mod A, so the contacts of account a are a, a + A, a + 2A, ...
        var contactIds = new string[sizes.Contacts];
        var emails = new HashSet<string>(sizes.Contacts, StringComparer.OrdinalIgnoreCase);
        var contactSamples = new List<ContactSample>();
        int contactStride = Stride(sizes.Contacts, request.SampleSize);
        for (int i = 0; i < sizes.Contacts; i++)
        {
            int account = sizes.Accounts == 0 ? -1 : i % sizes.Accounts;
            string? accountId = account < 0 ? null : accountIds[account];
            var input = faker.Contact(accountId, account < 0 ? "example.com" : accountDomains[account], emails, out var first, out var last, out var email);
            contactIds[i] = await Create(StandardObjects.Contact, input);
            if (i % contactStride == 0 && contactSamples.Count < request.SampleSize) contactSamples.Add(new ContactSample(contactIds[i], first, last, email, accountId));
        }
        Done("contacts", sizes.Contacts);

        var opportunityIds = new string[sizes.Opportunities];
        var opportunityAccounts = new int[sizes.Opportunities];
        var opportunitySamples = new List<OpportunitySample>();
        int opportunityStride = Stride(sizes.Opportunities, request.SampleSize);
        for (int i = 0; i < sizes.Opportunities; i++)
        {
            int account = opportunityAccounts[i] = sizes.Accounts == 0 ? -1 : faker.Random.Int(0, sizes.Accounts - 1);
            string? accountId = account < 0 ? null : accountIds[account];
            var input = faker.Opportunity(accountId, account < 0 ? "New business" : accountNames[account], out var name, out var stage);
            opportunityIds[i] = await Create(StandardObjects.Opportunity, input);
            if (i % opportunityStride == 0 && opportunitySamples.Count < request.SampleSize) opportunitySamples.Add(new OpportunitySample(opportunityIds[i], name, stage, accountId));
        }
        Done("opportunities", sizes.Opportunities);

        for (int i = 0; i < sizes.Tasks; i++)
        {
            // Most tasks are about a deal; the rest about an account. WhoId is one of that account's contacts.
            int account;
            string? whatId;
            if (sizes.Opportunities > 0 && faker.Random.Bool(0.7f))
            {
                int opportunity = faker.Random.Int(0, sizes.Opportunities - 1);
                account = opportunityAccounts[opportunity];
                whatId = opportunityIds[opportunity];
            }
            else
            {
                account = sizes.Accounts == 0 ? -1 : faker.Random.Int(0, sizes.Accounts - 1);
                whatId = account < 0 ? null : accountIds[account];
            }
            string? whoId = ContactOf(account, sizes, faker) is { } contact ? contactIds[contact] : null;
            await Create(StandardObjects.Task, faker.Task(whoId, whatId, account < 0 ? "the prospect" : accountNames[account]));
        }
        await committer.DrainAsync(ct);
        Done("tasks", sizes.Tasks);

        if (request.ContactIdsPath is not null) await File.WriteAllLinesAsync(request.ContactIdsPath, contactIds, ct);
        return new TenantManifest(tenant.Tenant.Id.ToString(), tenant.Tenant.Name, tenant.Tenant.SubscriptionTier, tenant.Secret, request.Large, sizes,
            request.ContactIdsPath is null ? null : Path.GetFileName(request.ContactIdsPath),
            contactSamples, accountSamples, opportunitySamples, NamePrefixes(contactSamples));
    }

    /// <summary>A random contact of the account (see the contact loop for which those are), or null when it has none.</summary>
    static int? ContactOf(int account, TenantSizes sizes, CrmFaker faker)
    {
        if (sizes.Contacts == 0) return null;
        if (account < 0) return faker.Random.Int(0, sizes.Contacts - 1);
        int perAccount = sizes.Contacts / sizes.Accounts + (account < sizes.Contacts % sizes.Accounts ? 1 : 0);
        return perAccount == 0 ? null : account + faker.Random.Int(0, perAccount - 1) * sizes.Accounts;
    }

    /// <summary>What a person types to find a contact by name: the first name and the start of the last, e.g. "Sarah Joh".</summary>
    static IReadOnlyList<string> NamePrefixes(IReadOnlyList<ContactSample> contacts) =>
        contacts.Select(c => $"{c.FirstName} {c.LastName[..Math.Min(3, c.LastName.Length)]}").Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    static int Stride(int count, int samples) => Math.Max(1, count / Math.Max(1, samples));
}
