using System.Net;
using System.Text.Json;

namespace RevOps.Bench.Durability;

/// <summary>
/// REST `POST /services/data/v60.0/composite/sobjects` with allOrNone: several contacts in one
/// call, committed in one transaction. The contacts of a call share a Title, so after a kill all
/// of them, or none, must be found under it.
/// </summary>
public sealed class RestCollectionWriter(TenantRun tenant, int index) : ContactCreateWriter(ChannelName, tenant, index)
{
    public const string ChannelName = "rest_collection_create";
    public const int RecordsPerCall = 5;

    protected override async Task<Answer> WriteNextAsync(CrmClient client, CancellationToken ct)
    {
        if (Pending is null)
        {
            string call = NextName();
            Pending = Enumerable.Range(1, RecordsPerCall).Select(i => ContactSpec.Named($"{call}-r{i}", call)).ToArray();
        }
        var batch = Pending;
        var answer = await client.PostAsync("composite/sobjects", w =>
        {
            w.WriteBoolean("allOrNone", true);
            w.WriteStartArray("records");
            foreach (var spec in batch)
            {
                w.WriteStartObject();
                w.WriteStartObject("attributes");
                w.WriteString("type", "Contact");
                w.WriteEndObject();
                spec.WriteFields(w);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }, HttpStatusCode.OK, ct);
        if (answer.Kind == AnswerKind.Acknowledged)
        {
            var ids = Ids(answer.Body);
            if (ids is not null)
            {
                for (int i = 0; i < batch.Count; i++) Acknowledge(ids[i], batch[i]);
                // Counted per contact: the base counted the call once.
                Acknowledged += batch.Count - 1;
                Pending = null;
                return answer;
            }
            answer = Answer.Refused($"not every record succeeded: {answer.Body.GetRawText()}");
        }
        if (answer.Kind == AnswerKind.Refused) ForgetPending();
        return answer;
    }

    /// <summary>The call's contacts share its Title.</summary>
    protected override string PendingQuery() => $"SELECT {ContactSpec.SelectFields} FROM Contact WHERE Title = '{Pending![0].Title}'";

    /// <summary>The created Ids in request order, or null unless every record succeeded.</summary>
    string[]? Ids(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Array || body.GetArrayLength() != Pending!.Count) return null;
        var ids = new string[Pending.Count];
        int i = 0;
        foreach (var result in body.EnumerateArray())
        {
            if (!result.TryGetProperty("success", out var success) || success.ValueKind != JsonValueKind.True
                || !result.TryGetProperty("id", out var id) || id.GetString() is not { Length: 18 } value) return null;
            ids[i++] = value;
        }
        return ids;
    }
}
