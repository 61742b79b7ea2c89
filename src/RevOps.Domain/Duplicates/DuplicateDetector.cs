using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Writes;

namespace RevOps.Domain.Duplicates;

/// <summary>
/// Finds the records that new Accounts, Contacts and Leads may duplicate, for a whole batch at once: one indexed
/// query per kind of key for all the batch's records, then each rule compares the candidates (and the batch's
/// earlier records that will be written) with each new record here, so both stores answer by one algorithm.
/// </summary>
public sealed class DuplicateDetector(IDuplicateStore store)
{
    /// <summary>Candidate rows read per kind of key; more matches than this are not worth listing.</summary>
    const int MaxCandidates = 2000;

    /// <summary>Matches listed per new record.</summary>
    public const int MaxMatches = 5;

    /// <summary>
    /// The matches of every record under <paramref name="rules"/>, in order. A record whose matches
    /// <paramref name="stops"/> will not be written, so later records of the batch are not compared with it.
    /// </summary>
    public async Task<IReadOnlyList<DuplicateMatch>[]> FindAsync(TenantId tenant, IReadOnlyList<Record> records, IReadOnlyList<string> rules,
        Func<IReadOnlyList<DuplicateMatch>, bool> stops, CancellationToken ct)
    {
        var found = new IReadOnlyList<DuplicateMatch>[records.Count];
        var keys = new Dictionary<DuplicateKey, HashSet<string>>();
        foreach (var record in records)
            foreach (var rule in rules)
                if (DuplicateRule.Applies(rule, record.Object))
                    foreach (var (kind, value) in KeysOf(rule, record))
                        (keys.TryGetValue(kind, out var set) ? set : keys[kind] = new HashSet<string>(StringComparer.Ordinal)).Add(value);

        var candidates = new List<DuplicateCandidate>();
        foreach (var (kind, values) in keys)
            candidates.AddRange(await store.FindAsync(tenant, kind, values, MaxCandidates, ct));
        // Oldest first within an object (Ids grow with time), whichever order the store's rows came in.
        candidates.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));

        var written = new List<DuplicateCandidate>();
        for (int i = 0; i < records.Count; i++)
        {
            var record = records[i];
            var self = Candidate(record);
            var matches = new List<DuplicateMatch>();
            foreach (var rule in rules)
            {
                if (!DuplicateRule.Applies(rule, record.Object)) continue;
                foreach (var candidate in candidates.Concat(written))
                {
                    if (matches.Count == MaxMatches) break;
                    if (candidate.Id == self.Id || matches.Any(m => m.Id == candidate.Id)) continue;
                    if (Matches(rule, self, candidate) is { } value)
                        matches.Add(new DuplicateMatch(rule, candidate.Object, candidate.Id, candidate.Name, value));
                }
            }
            found[i] = matches;
            if (!stops(matches) && DuplicateRule.Checks(record.Object)) written.Add(self);
        }
        return found;
    }

    static IEnumerable<(DuplicateKey, string)> KeysOf(string rule, Record record)
    {
        switch (rule)
        {
            case DuplicateRule.Email:
                if (DuplicateKeys.Email(record["Email"] as string) is { } email) yield return (DuplicateKey.Email, email);
                break;
            case DuplicateRule.NameAccount:
                bool placed = record.Object == StandardObjects.Contact ? record["AccountId"] is string : !string.IsNullOrWhiteSpace(record["Company"] as string);
                if (placed && DuplicateKeys.Name(record["Name"] as string) is { } name) yield return (DuplicateKey.Name, name);
                break;
            case DuplicateRule.Phone:
                foreach (var field in new[] { "Phone", "MobilePhone" })
                    if (DuplicateKeys.Phone(record[field] as string) is { } phone) yield return (DuplicateKey.Phone, phone);
                break;
            case DuplicateRule.Name:
                if (DuplicateKeys.AccountName(record["Name"] as string) is { } baseName)
                    foreach (var spelling in DuplicateKeys.AccountNameSpellings(baseName)) yield return (DuplicateKey.Name, spelling);
                break;
            case DuplicateRule.Website:
                if (DuplicateKeys.Website(record["Website"] as string) is { } domain) yield return (DuplicateKey.Website, domain);
                break;
        }
    }

    /// <summary>The candidate's value that makes it a match of <paramref name="rule"/>, or null.</summary>
    static string? Matches(string rule, DuplicateCandidate record, DuplicateCandidate other)
    {
        bool person = other.Object is "Contact" or "Lead";
        switch (rule)
        {
            case DuplicateRule.Email:
                return person && DuplicateKeys.Email(record.Email) is { } email && email == DuplicateKeys.Email(other.Email) ? other.Email : null;
            case DuplicateRule.NameAccount:
                if (!person || DuplicateKeys.Name(record.Name) is not { } name || name != DuplicateKeys.Name(other.Name)) return null;
                if (record.Object == "Contact")
                    return other.Object == "Contact" && record.AccountId is not null && record.AccountId == other.AccountId ? $"{other.Name}, {other.Company ?? other.AccountId}" : null;
                // A Lead's Company is compared with a Lead's Company or a Contact's Account name.
                return DuplicateKeys.Name(record.Company) is { } company && company == DuplicateKeys.Name(other.Company) ? $"{other.Name}, {other.Company}" : null;
            case DuplicateRule.Phone:
                if (!person) return null;
                var mine = new[] { DuplicateKeys.Phone(record.Phone), DuplicateKeys.Phone(record.MobilePhone) };
                foreach (var theirs in new[] { other.Phone, other.MobilePhone })
                    if (DuplicateKeys.Phone(theirs) is { } digits && mine.Contains(digits)) return theirs;
                return null;
            case DuplicateRule.Name:
                return other.Object == "Account" && DuplicateKeys.AccountName(record.Name) is { } baseName && baseName == DuplicateKeys.AccountName(other.Name) ? other.Name : null;
            case DuplicateRule.Website:
                return other.Object == "Account" && DuplicateKeys.Website(record.Website) is { } domain && domain == DuplicateKeys.Website(other.Website) ? other.Website : null;
            default:
                return null;
        }
    }

    /// <summary>A new record as the store's candidates look (a Lead's company is its Company; a Contact's Account name is not known here).</summary>
    static DuplicateCandidate Candidate(Record record) => new(record.Object.Name, record.Id, record["Name"] as string,
        record.Object == StandardObjects.Account ? null : record["Email"] as string,
        record["Phone"] as string, record.Object == StandardObjects.Account ? null : record["MobilePhone"] as string,
        record.Object == StandardObjects.Lead ? record["Company"] as string : null,
        record.Object == StandardObjects.Contact ? record["AccountId"] as string : null,
        record.Object == StandardObjects.Contact ? null : record["Website"] as string);
}
