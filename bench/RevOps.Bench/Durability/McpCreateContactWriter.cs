using System.Text.Json;

namespace RevOps.Bench.Durability;

/// <summary>
/// MCP `create_contact`, each call with its own idempotency_key. After a kill it retries the
/// unanswered call with the same key, as an SDK client that lost its answer would.
/// </summary>
public sealed class McpCreateContactWriter(TenantRun tenant, int index) : ContactCreateWriter(ChannelName, tenant, index)
{
    public const string ChannelName = "mcp_create_contact";

    protected override async Task<Answer> WriteNextAsync(CrmClient client, CancellationToken ct)
    {
        Pending ??= [ContactSpec.Named(NextName(), ChannelName)];
        var spec = Pending[0];
        var answer = await CallAsync(client, spec, ct);
        if (answer.Kind == AnswerKind.Acknowledged)
        {
            Acknowledge(IdOf(answer), spec);
            Pending = null;
        }
        else if (answer.Kind == AnswerKind.Refused) ForgetPending();
        return answer;
    }

    protected override string PendingQuery() => Pending![0].Query();

    /// <summary>Looks for the contact, then retries with the same key: a replay of that contact if it was there, a new one if not.</summary>
    public override async Task ResolveAsync(CrmClient client, CheckBook checks, CancellationToken ct)
    {
        if (Pending is not { } pending) return;
        var spec = pending[0];
        var before = await FindPendingAsync(client, checks, ct);
        var answer = await CallAsync(client, spec, ct);
        Retried++;
        if (answer.Kind != AnswerKind.Acknowledged)
        {
            checks.Expect(DurabilityChecks.IdempotentRetry, false, () => $"{ChannelName}: the retry of {spec.LastName} was not acknowledged: {answer.Problem}");
            ForgetPending();
            return;
        }
        string id = IdOf(answer);
        bool replayed = answer.Body.TryGetProperty("idempotentReplay", out var flag) && flag.ValueKind == JsonValueKind.True;
        if (replayed) Replayed++;
        if (before.Count > 0) CommittedUnanswered++;
        bool exactlyOnce = before.Count switch
        {
            0 => !replayed,
            1 => replayed && id == TenantState.IdOf(before[0]),
            _ => false,
        };
        checks.Expect(DurabilityChecks.IdempotentRetry, exactlyOnce, () =>
            $"{ChannelName}: {spec.LastName} existed {before.Count} times before its retry, which answered {id} with idempotentReplay {replayed}");
        Acknowledged++;
        AcknowledgeRetried(id, spec);
        Pending = null;
    }

    static Task<Answer> CallAsync(CrmClient client, ContactSpec spec, CancellationToken ct) =>
        client.CallToolAsync("create_contact", w =>
        {
            spec.WriteFields(w);
            w.WriteString("idempotency_key", "key-" + spec.LastName);
        }, ct);

    static string IdOf(Answer answer) => answer.Body.GetProperty("Id").GetString()!;
}
