using System.Net;
using System.Text.Json;

namespace RevOps.Bench.Durability;

/// <summary>
/// REST `POST /services/data/v60.0/composite/tree/Account`: an Account named like the call with its
/// contacts nested under Contacts, all created in one transaction.
/// </summary>
public sealed class RestCompositeTreeWriter(TenantRun tenant, int index) : ContactBatchWriter(ChannelName, tenant, index)
{
    public const string ChannelName = "rest_composite_tree";
    public const int RecordsPerCall = 3;

    protected override int ContactsPerCall => RecordsPerCall;

    protected override Task<Answer> PostAsync(CrmClient client, IReadOnlyList<ContactSpec> batch, CancellationToken ct) =>
        client.PostAsync("composite/tree/Account", w =>
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

    /// <summary>The contacts' Ids by their referenceIds c0…cN, or null unless the tree answered without errors.</summary>
    protected override string[]? IdsOf(JsonElement body, int count)
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
