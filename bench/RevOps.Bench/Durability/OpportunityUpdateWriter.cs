using System.Net;
using System.Text.Json;

namespace RevOps.Bench.Durability;

/// <summary>
/// A writer that owns one opportunity and updates it over MCP as fast as it can: update k sets
/// the value numbered k, so the acknowledged value is always the last k answered. Each call has
/// its own idempotency_key; after a kill the unanswered update is retried with it.
/// </summary>
public abstract class OpportunityUpdateWriter(string channel, TenantRun tenant, int index) : DurabilityWriter(channel, tenant, index)
{
    string? _id;
    int _acknowledged;
    int? _pending;
    // Set when an update was refused or its retry failed: its value is then unknown, so the final values are not checked.
    bool _uncertain;

    public override bool HasPendingWrite => _pending is not null;
    public override string? OpportunityId => _id;

    protected abstract string Tool { get; }

    /// <summary>The tool's arguments besides Id and idempotency_key for update k.</summary>
    protected abstract void WriteArguments(Utf8JsonWriter w, int k);

    /// <summary>What the record shows after update k (k = 0: as created), in the form <see cref="Current"/> reads.</summary>
    protected abstract string Expected(int k);

    /// <summary>The updated fields of a record row (SOQL with <see cref="TenantState.OpportunityFields"/>, or a tool's answer).</summary>
    protected abstract string Current(JsonElement record);

    /// <summary>The updated fields as a change row sets them.</summary>
    protected abstract string Changed(ChangeLine change);

    /// <summary>The opportunity's fields at creation, matching <see cref="Expected"/>(0).</summary>
    protected abstract void WriteInitialFields(Utf8JsonWriter w);

    /// <summary>Creates the opportunity this writer updates (before any load).</summary>
    public virtual async Task PrepareAsync(CrmClient client, CancellationToken ct)
    {
        var answer = await client.PostAsync("sobjects/Opportunity", w =>
        {
            w.WriteString("Name", Name + "-opportunity");
            w.WriteString("CloseDate", "2027-06-30");
            WriteInitialFields(w);
        }, HttpStatusCode.Created, ct);
        if (answer.Kind != AnswerKind.Acknowledged) throw new InvalidOperationException($"Creating {Name}'s opportunity failed: {answer.Problem}");
        _id = answer.Body.GetProperty("id").GetString();
    }

    protected override async Task<Answer> WriteNextAsync(CrmClient client, CancellationToken ct)
    {
        int k = _pending ??= _acknowledged + 1;
        var answer = await CallAsync(client, k, ct);
        if (answer.Kind == AnswerKind.Acknowledged)
        {
            if (Current(answer.Body) != Expected(k))
            {
                _pending = null;
                _uncertain = true;
                return Answer.Refused($"update {k} answered {answer.Body.GetRawText()}");
            }
            _acknowledged = k;
            _pending = null;
        }
        else if (answer.Kind == AnswerKind.Refused)
        {
            // Not retried: the next update supersedes it. Whether it was written is unknown, so the final values are not checked.
            _pending = null;
            _uncertain = true;
        }
        return answer;
    }

    /// <summary>The record must hold the last acknowledged value or the pending one, whole; the retry then makes it the pending one exactly once.</summary>
    public override async Task ResolveAsync(CrmClient client, CheckBook checks, CancellationToken ct)
    {
        if (_pending is not { } k) return;
        var rows = await client.QueryAsync($"SELECT {TenantState.OpportunityFields} FROM Opportunity WHERE Id = '{_id}'", ct);
        string before = rows.Count == 1 ? Current(rows[0]) : $"{rows.Count} rows";
        bool applied = before == Expected(k);
        checks.Expect(DurabilityChecks.UnansweredAllOrNothing, applied || before == Expected(_acknowledged),
            () => $"{Channel}: {_id} after a kill during update {k} shows {before}, neither {Expected(_acknowledged)} nor {Expected(k)}");

        var answer = await CallAsync(client, k, ct);
        Retried++;
        if (answer.Kind != AnswerKind.Acknowledged)
        {
            checks.Expect(DurabilityChecks.IdempotentRetry, false, () => $"{Channel}: the retry of update {k} of {_id} was not acknowledged: {answer.Problem}");
            _pending = null;
            _uncertain = true;
            return;
        }
        bool replayed = answer.Body.TryGetProperty("idempotentReplay", out var flag) && flag.ValueKind == JsonValueKind.True;
        if (replayed) Replayed++;
        if (applied) CommittedUnanswered++;
        checks.Expect(DurabilityChecks.IdempotentRetry, replayed == applied && Current(answer.Body) == Expected(k),
            () => $"{Channel}: {_id} showed {before} before the retry of update {k}, which answered {Current(answer.Body)} with idempotentReplay {replayed}");
        Acknowledged++;
        _acknowledged = k;
        _pending = null;
    }

    public override void Verify(TenantState state, CheckBook checks)
    {
        if (_uncertain) return;
        string current = _id is not null && state.OpportunitiesById.TryGetValue(_id, out var row) ? Current(row) : "missing";
        checks.Expect(DurabilityChecks.AcknowledgedPresent, current == Expected(_acknowledged),
            () => $"{Channel}: {_id} shows {current} instead of its last acknowledged update {_acknowledged}: {Expected(_acknowledged)}");

        // One row per acknowledged update (retried ones included), in order: update k's row sets Expected(k).
        var updates = state.ChangesByRecord[_id!].Where(c => c.Operation != "created").Select(Changed).ToList();
        var expected = Enumerable.Range(1, _acknowledged).Select(Expected).ToList();
        int agreeing = 0;
        while (agreeing < Math.Min(updates.Count, expected.Count) && updates[agreeing] == expected[agreeing]) agreeing++;
        Found = agreeing;
        Lost = _acknowledged - agreeing;
        checks.Expect(DurabilityChecks.ChangeRowPerUpdate, updates.SequenceEqual(expected), () =>
            $"{Channel}: {_id} has {updates.Count} update rows for {_acknowledged} acknowledged updates; they differ from update {agreeing + 1} on "
            + $"({(agreeing < updates.Count ? updates[agreeing] : "none")} instead of {(agreeing < expected.Count ? expected[agreeing] : "none")})");
    }

    Task<Answer> CallAsync(CrmClient client, int k, CancellationToken ct) =>
        client.CallToolAsync(Tool, w =>
        {
            w.WriteString("Id", _id);
            WriteArguments(w, k);
            w.WriteString("idempotency_key", $"key-{Name}-u{k}");
        }, ct);
}
