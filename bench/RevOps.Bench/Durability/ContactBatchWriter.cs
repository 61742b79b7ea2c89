namespace RevOps.Bench.Durability;

/// <summary>
/// A writer whose every call creates several contacts in one transaction. The contacts of a call
/// share a Title, so after a kill all of them, or none, must be found under it.
/// </summary>
public abstract class ContactBatchWriter(string channel, TenantRun tenant, int index) : ContactCreateWriter(channel, tenant, index)
{
    protected abstract int ContactsPerCall { get; }

    /// <summary>Sends the call for <paramref name="batch"/>.</summary>
    protected abstract Task<Answer> PostAsync(CrmClient client, IReadOnlyList<ContactSpec> batch, CancellationToken ct);

    /// <summary>The created contacts' Ids in batch order, or null unless the answer says every one was created.</summary>
    protected abstract string[]? IdsOf(System.Text.Json.JsonElement body, int count);

    protected override async Task<Answer> WriteNextAsync(CrmClient client, CancellationToken ct)
    {
        if (Pending is null)
        {
            string call = NextName();
            Pending = Enumerable.Range(1, ContactsPerCall).Select(i => ContactSpec.Named($"{call}-r{i}", call)).ToArray();
        }
        var batch = Pending;
        var answer = await PostAsync(client, batch, ct);
        if (answer.Kind == AnswerKind.Acknowledged)
        {
            if (IdsOf(answer.Body, batch.Count) is { } ids)
            {
                for (int i = 0; i < batch.Count; i++) Acknowledge(ids[i], batch[i]);
                // Counted per contact: the base counted the call once.
                Acknowledged += batch.Count - 1;
                Pending = null;
                return answer;
            }
            answer = Answer.Refused($"not every record was created: {answer.Body.GetRawText()}");
        }
        if (answer.Kind == AnswerKind.Refused) ForgetPending();
        return answer;
    }

    /// <summary>The call's contacts share its Title.</summary>
    protected override string PendingQuery() => $"SELECT {ContactSpec.SelectFields} FROM Contact WHERE Title = '{Pending![0].Title}'";
}
