using System.Text.Json;

namespace RevOps.Bench.Durability;

/// <summary>
/// A writer that creates contacts, one or several per request. It remembers each acknowledged
/// contact with its Id, and after a kill settles the pending request by looking for its contacts.
/// </summary>
public abstract class ContactCreateWriter(string channel, TenantRun tenant, int index) : DurabilityWriter(channel, tenant, index)
{
    readonly List<(string Id, ContactSpec Spec)> _acknowledged = [];
    readonly List<(string Id, ContactSpec Spec)> _foundUnanswered = [];
    readonly List<ContactSpec> _absentUnanswered = [];
    readonly List<ContactSpec> _retried = [];
    long _next;

    /// <summary>The contacts of the request in flight (sent, or about to be), or null.</summary>
    protected IReadOnlyList<ContactSpec>? Pending { get; set; }

    public override bool HasPendingWrite => Pending is not null;

    public override IEnumerable<string> KnownContactIds => _acknowledged.Concat(_foundUnanswered).Select(a => a.Id);

    /// <summary>The next unique LastName of this writer.</summary>
    protected string NextName() => $"{Name}-n{++_next}";

    protected void Acknowledge(string id, ContactSpec spec) => _acknowledged.Add((id, spec));

    /// <summary>A contact acknowledged by the retry of an in-flight write: it must also exist exactly once at the end.</summary>
    protected void AcknowledgeRetried(string id, ContactSpec spec)
    {
        _acknowledged.Add((id, spec));
        _retried.Add(spec);
    }

    /// <summary>For a refused request: its contacts must not be required to exist, nor to be absent.</summary>
    protected void ForgetPending()
    {
        foreach (var spec in Pending ?? []) UncertainLastNames.Add(spec.LastName);
        Pending = null;
    }

    /// <summary>Where the pending request's contacts would be: every one of them, whatever their number.</summary>
    protected abstract string PendingQuery();

    /// <summary>
    /// Finds the pending request's contacts after a restart and checks all-or-nothing: none, or every
    /// one exactly once with every field. Returns the rows found.
    /// </summary>
    protected async Task<List<JsonElement>> FindPendingAsync(CrmClient client, CheckBook checks, CancellationToken ct)
    {
        var pending = Pending!;
        var rows = await client.QueryAsync(PendingQuery(), ct);
        bool complete = rows.Count == pending.Count && pending.All(spec => rows.Count(r => spec.Mismatch(r) is null) == 1);
        checks.Expect(DurabilityChecks.UnansweredAllOrNothing, rows.Count == 0 || complete, () =>
            $"{Channel}: {rows.Count} of the {pending.Count} contacts of unanswered write {pending[0].LastName} exist, "
            + $"{rows.Count(r => pending.Any(s => s.Mismatch(r) is null))} of them with every field: {string.Join("; ", rows.Select(r => r.GetRawText()))}");
        return rows;
    }

    /// <summary>A client without an idempotency key looks before it writes again: what it finds is remembered, not retried.</summary>
    public override async Task ResolveAsync(CrmClient client, CheckBook checks, CancellationToken ct)
    {
        if (Pending is not { } pending) return;
        var rows = await FindPendingAsync(client, checks, ct);
        if (rows.Count == 0)
            _absentUnanswered.AddRange(pending);
        else if (rows.Count == pending.Count)
        {
            CommittedUnanswered++;
            foreach (var spec in pending)
                if (rows.FirstOrDefault(r => spec.Mismatch(r) is null) is { ValueKind: JsonValueKind.Object } row) _foundUnanswered.Add((TenantState.IdOf(row), spec));
        }
        else ForgetPending();
        Pending = null;
    }

    public override void Verify(TenantState state, CheckBook checks)
    {
        long found = 0, lost = 0;
        foreach (var (id, spec) in _acknowledged)
        {
            string? mismatch = state.ContactsById.TryGetValue(id, out var row) ? spec.Mismatch(row) : "missing";
            if (mismatch is null) found++;
            else lost++;
            checks.Expect(DurabilityChecks.AcknowledgedPresent, mismatch is null, () => $"{Channel}: acknowledged contact {id} ({spec.LastName}): {mismatch}");

            var created = state.Created(id).ToList();
            string? rowProblem = created.Count != 1 ? $"{created.Count} created rows" : spec.ChangeMismatch(created[0]);
            checks.Expect(DurabilityChecks.CreatedRowPerCreate, rowProblem is null, () => $"{Channel}: acknowledged contact {id} ({spec.LastName}): {rowProblem}");
        }
        foreach (var (id, spec) in _foundUnanswered)
            checks.Expect(DurabilityChecks.UnansweredAllOrNothing, state.ContactsById.TryGetValue(id, out var row) && spec.Mismatch(row) is null,
                () => $"{Channel}: contact {id} ({spec.LastName}), found after a restart, is gone or changed at the end");
        foreach (var spec in _absentUnanswered)
            checks.Expect(DurabilityChecks.UnansweredAllOrNothing, !state.ContactsByLastName[spec.LastName].Any(),
                () => $"{Channel}: contact {spec.LastName}, absent after its restart, exists at the end");
        foreach (var spec in _retried)
        {
            int count = state.ContactsByLastName[spec.LastName].Count();
            checks.Expect(DurabilityChecks.IdempotentRetry, count == 1, () => $"{Channel}: retried contact {spec.LastName} exists {count} times at the end");
        }
        Found = found;
        Lost = lost;
    }
}
