using System.Net;
using System.Text.Json;

namespace RevOps.Bench.Durability;

/// <summary>
/// REST `POST /services/data/v60.0/composite/tree/Account`: an Account with its contacts nested
/// under Contacts, all created in one transaction. The contacts of a call share a Title, so after
/// a kill all of them, or none, must be found under it (and each points at the call's Account).
/// </summary>
public sealed class RestCompositeTreeWriter(TenantRun tenant, int index) : ContactCreateWriter(ChannelName, tenant, index)
{
    public const string ChannelName = "rest_composite_tree";
    public const int ContactsPerCall = 3;

    protected override async Task<Answer> WriteNextAsync(CrmClient client, CancellationToken ct)
    {
        if (Pending is null)
        {
            string call = NextName();
            Pending = Enumerable.Range(1, ContactsPerCall).Select(i => ContactSpec.Named($"{call}-t{i}", call)).ToArray();
        }
        var batch = Pending;
        var answer = await client.PostAsync("composite/tree/Account", w =>
        {
            w.WriteStartArray("records");
            w.WriteStartObject();
            w.WriteStartObject("attributes");
            w.WriteString("type", "Account");
            w.WriteString("referenceId", "account");
            w.WriteEndObject();
            w.WriteString("Name", batch[0].Title);
            w.WriteStartObject("Contacts");
            w.WriteStartArray("records");
            for (int i = 0; i < batch.Count; i++)
            {
                w.WriteStartObject();
                w.WriteStartObject("attributes");
                w.WriteString("type", "Contact");
                w.WriteString("referenceId", $"c{i}");
                w.WriteEndObject();
                batch[i].WriteFields(w);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
        }, HttpStatusCode.Created, ct);
        if (answer.Kind == AnswerKind.Acknowledged)
        {
            var ids = Ids(answer.Body, batch.Count);
            if (ids is not null)
            {
                for (int i = 0; i < batch.Count; i++) Acknowledge(ids[i], batch[i]);
                // Counted per contact: the base counted the call once.
                Acknowledged += batch.Count - 1;
                Pending = null;
                return answer;
            }
            answer = Answer.Refused($"the tree did not answer every contact: {answer.Body.GetRawText()}");
        }
        if (answer.Kind == AnswerKind.Refused) ForgetPending();
        return answer;
    }

    /// <summary>The call's contacts share its Title.</summary>
    protected override string PendingQuery() => $"SELECT {ContactSpec.SelectFields} FROM Contact WHERE Title = '{Pending![0].Title}'";

    /// <summary>The contacts' Ids by their referenceIds c0…cN, or null unless the tree answered without errors.</summary>
    static string[]? Ids(JsonElement body, int count)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("hasErrors", out var errors) || errors.ValueKind != JsonValueKind.False
            || !body.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array) return null;
        var ids = new string?[count];
        foreach (var result in results.EnumerateArray())
        {
            string? reference = result.TryGetProperty("referenceId", out var r) ? r.GetString() : null;
            if (reference is ['c', .. var digits] && int.TryParse(digits, out int i) && i >= 0 && i < count
                && result.TryGetProperty("id", out var id) && id.GetString() is { Length: 18 } value)
                ids[i] = value;
        }
        return ids.All(id => id is not null) ? ids.Select(id => id!).ToArray() : null;
    }
}
