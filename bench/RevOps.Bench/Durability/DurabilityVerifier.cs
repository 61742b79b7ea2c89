namespace RevOps.Bench.Durability;

/// <summary>
/// The final verification, through the API of the restarted server: each tenant's change log
/// against its records, every record against what its clients wrote, then each writer's own memory.
/// </summary>
public static class DurabilityVerifier
{
    public static async Task<IReadOnlyList<TenantState>> VerifyAsync(Func<TenantRun, CrmClient> clientOf, IReadOnlyList<TenantRun> tenants,
        IReadOnlyList<DurabilityWriter> writers, CheckBook checks, CancellationToken ct)
    {
        var states = new List<TenantState>();
        foreach (var tenant in tenants)
        {
            var state = await TenantState.ReadAsync(clientOf(tenant), tenant, ct);
            states.Add(state);
            var own = writers.Where(w => w.Tenant == tenant).ToList();
            CheckSequences(state, checks);
            CheckRecordsMatchChangeLog(state, checks);
            CheckAccounted(state, own, checks);
            foreach (var writer in own)
            {
                writer.Verify(state, checks);
                checks.Expect(DurabilityChecks.AnsweredWhileUp, writer.Refused == 0, () => $"{writer.Channel}: {writer.Refused} writes refused; the first: {writer.FirstRefusal}");
            }
        }
        return states;
    }

    /// <summary>The sequence is a counter on the tenant row, bumped in the write's transaction: 1..N, no gaps.</summary>
    static void CheckSequences(TenantState state, CheckBook checks)
    {
        int i = 0;
        while (i < state.Changes.Count && state.Changes[i].Seq == i + 1) i++;
        checks.Expect(DurabilityChecks.SequencesGapFree, i == state.Changes.Count, () =>
            $"tenant {state.Tenant.Number}: change {i + 1} of {state.Changes.Count} has seq {state.Changes[i].Seq} (after {(i == 0 ? "none" : state.Changes[i - 1].Seq)})");
    }

    static void CheckRecordsMatchChangeLog(TenantState state, CheckBook checks)
    {
        foreach (string id in state.ContactsById.Keys.Concat(state.OpportunitiesById.Keys).Concat(state.AccountIds))
        {
            int created = state.Created(id).Count();
            checks.Expect(DurabilityChecks.RecordsMatchChangeLog, created == 1, () => $"tenant {state.Tenant.Number}: record {id} has {created} created rows");
        }
        foreach (var rows in state.ChangesByRecord)
        {
            bool exists = state.ContactsById.ContainsKey(rows.Key) || state.OpportunitiesById.ContainsKey(rows.Key) || state.AccountIds.Contains(rows.Key)
                || state.UserIds.Contains(rows.Key);
            checks.Expect(DurabilityChecks.RecordsMatchChangeLog, exists, () =>
                $"tenant {state.Tenant.Number}: change rows {string.Join(", ", rows.Select(r => $"{r.Seq} {r.Operation}"))} are for {rows.Key}, which does not exist");
        }
    }

    static void CheckAccounted(TenantState state, List<DurabilityWriter> writers, CheckBook checks)
    {
        var known = writers.SelectMany(w => w.KnownContactIds).ToHashSet(StringComparer.Ordinal);
        var uncertain = writers.SelectMany(w => w.UncertainLastNames).ToHashSet(StringComparer.Ordinal);
        foreach (var contact in state.Contacts)
        {
            string id = TenantState.IdOf(contact);
            string lastName = contact.GetProperty("LastName").GetString() ?? "";
            checks.Expect(DurabilityChecks.NoUnaccountedRecords, known.Contains(id) || uncertain.Contains(lastName),
                () => $"tenant {state.Tenant.Number}: contact {id} ({lastName}) was neither acknowledged nor found after its kill: {contact.GetRawText()}");
        }
        foreach (var twins in state.ContactsByLastName.Where(g => g.Count() > 1))
            checks.Expect(DurabilityChecks.NoUnaccountedRecords, false, () =>
                $"tenant {state.Tenant.Number}: {twins.Count()} contacts named {twins.Key}: {string.Join(", ", twins.Select(TenantState.IdOf))}");
        var opportunities = writers.Select(w => w.OpportunityId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (string id in state.OpportunitiesById.Keys)
            checks.Expect(DurabilityChecks.NoUnaccountedRecords, opportunities.Contains(id), () => $"tenant {state.Tenant.Number}: opportunity {id} was not created by a writer");
    }
}
