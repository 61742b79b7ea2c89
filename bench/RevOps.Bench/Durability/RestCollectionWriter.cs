using System.Net;
using System.Text.Json;

namespace RevOps.Bench.Durability;

/// <summary>REST `POST /services/data/v60.0/composite/sobjects` with allOrNone: several contacts in one call, committed in one transaction.</summary>
public sealed class RestCollectionWriter(TenantRun tenant, int index) : ContactBatchWriter(ChannelName, tenant, index)
{
    public const string ChannelName = "rest_collection_create";
    public const int RecordsPerCall = 5;

    protected override int ContactsPerCall => RecordsPerCall;

    protected override Task<Answer> PostAsync(CrmClient client, IReadOnlyList<ContactSpec> batch, CancellationToken ct) =>
        client.PostAsync("composite/sobjects", w =>
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

    protected override string[]? IdsOf(JsonElement body, int count)
    {
        if (body.ValueKind != JsonValueKind.Array || body.GetArrayLength() != count) return null;
        var ids = new string[count];
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
