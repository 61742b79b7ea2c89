namespace RevOps.Bench.Durability;

/// <summary>
/// One client writing over one channel as fast as the server answers (closed loop), remembering
/// every write the server acknowledged. When a write goes unanswered the server has been killed:
/// the loop ends and that write stays pending until <see cref="ResolveAsync"/> settles it against
/// the restarted server. <see cref="Verify"/> then holds the final state to everything remembered.
/// </summary>
public abstract class DurabilityWriter(string channel, TenantRun tenant, int index)
{
    static readonly TimeSpan PauseAfterRefusal = TimeSpan.FromMilliseconds(20);

    public string Channel { get; } = channel;
    public TenantRun Tenant { get; } = tenant;
    /// <summary>A prefix unique to this writer, so every value it writes is unique in the run.</summary>
    protected string Name { get; } = $"{channel.Replace('_', '-')}-t{tenant.Number}-w{index}";

    public long Acknowledged { get; protected set; }
    public long Refused { get; private set; }
    public string? FirstRefusal { get; private set; }
    public long Unanswered { get; private set; }
    /// <summary>Unanswered writes found committed after the restart: the server committed them, the kill ate the answer.</summary>
    public long CommittedUnanswered { get; protected set; }
    public long Retried { get; protected set; }
    public long Replayed { get; protected set; }
    /// <summary>Acknowledged writes the final state confirms, and those it does not (must be 0).</summary>
    public long Found { get; protected set; }
    public long Lost { get; protected set; }

    /// <summary>Whether a write's outcome is unknown (sent, or about to be, when the server died).</summary>
    public abstract bool HasPendingWrite { get; }

    /// <summary>Contacts this writer knows exist: acknowledged, or unanswered and found after a restart.</summary>
    public virtual IEnumerable<string> KnownContactIds => [];
    /// <summary>LastNames of writes that may or may not exist (refused answers, a failed retry): tolerated, not required.</summary>
    public HashSet<string> UncertainLastNames { get; } = new(StringComparer.Ordinal);
    public virtual string? OpportunityId => null;

    /// <summary>Writes until one goes unanswered; onAcknowledged runs after every acknowledged write.</summary>
    public async Task RunAsync(CrmClient client, Action onAcknowledged, CancellationToken ct)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var answer = await WriteNextAsync(client, ct);
            switch (answer.Kind)
            {
                case AnswerKind.Acknowledged:
                    Acknowledged++;
                    onAcknowledged();
                    break;
                case AnswerKind.Refused:
                    Refused++;
                    FirstRefusal ??= answer.Problem;
                    // A server that refuses everything must not be spun on.
                    await Task.Delay(PauseAfterRefusal, ct);
                    break;
                default:
                    Unanswered++;
                    return;
            }
        }
    }

    /// <summary>
    /// Sends the pending write if there is one, else a new one. Acknowledged: remember it, nothing is
    /// pending. Refused: it may not exist, nothing is pending. Unanswered: it stays pending.
    /// </summary>
    protected abstract Task<Answer> WriteNextAsync(CrmClient client, CancellationToken ct);

    /// <summary>After a restart: checks the pending write is all there or not at all, then settles it (retry or record).</summary>
    public abstract Task ResolveAsync(CrmClient client, CheckBook checks, CancellationToken ct);

    /// <summary>Holds the final state to everything this writer was told, and sets Found and Lost.</summary>
    public abstract void Verify(TenantState state, CheckBook checks);
}
