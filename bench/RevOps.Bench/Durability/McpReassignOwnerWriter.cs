using System.Net;
using System.Text.Json;

namespace RevOps.Bench.Durability;

/// <summary>
/// MCP `update_record` handing the opportunity from one user of the org to another with every update
/// (OwnerId = user A on even k, user B on odd k) and NextStep = "owner k" in the same write: a torn or
/// lost reassignment would show an owner and a step from different k.
/// </summary>
public sealed class McpReassignOwnerWriter(TenantRun tenant, int index) : OpportunityUpdateWriter(ChannelName, tenant, index)
{
    public const string ChannelName = "mcp_reassign_owner";

    readonly string[] _owners = new string[2];

    protected override string Tool => "update_record";

    /// <summary>Makes the two users the deal moves between (POST /api/users with the tenant's admin key), then the deal, owned by the first.</summary>
    public override async Task PrepareAsync(CrmClient client, CancellationToken ct)
    {
        for (int i = 0; i < _owners.Length; i++)
        {
            var user = await client.PostAsync("/api/users", w =>
            {
                w.WriteString("email", $"{Name}-{(char)('a' + i)}@durability.test");
                w.WriteString("name", $"Owner {(char)('A' + i)} {Name}");
            }, HttpStatusCode.Created, ct);
            if (user.Kind != AnswerKind.Acknowledged) throw new InvalidOperationException($"Creating {Name}'s users failed: {user.Problem}");
            _owners[i] = user.Body.GetProperty("Id").GetString()!;
        }
        await base.PrepareAsync(client, ct);
    }

    protected override void WriteArguments(Utf8JsonWriter w, int k)
    {
        w.WriteStartObject("fields");
        w.WriteString("OwnerId", _owners[k % 2]);
        w.WriteString("NextStep", $"owner {k}");
        w.WriteEndObject();
    }

    protected override void WriteInitialFields(Utf8JsonWriter w)
    {
        w.WriteString("StageName", "Prospecting");
        w.WriteString("OwnerId", _owners[0]);
        w.WriteString("NextStep", "owner 0");
    }

    protected override string Expected(int k) => $"{_owners[k % 2]}|owner {k}";

    protected override string Current(JsonElement record) => $"{Text(record, "OwnerId")}|{Text(record, "NextStep")}";

    protected override string Changed(ChangeLine change)
    {
        // A change row lists only what changed: OwnerId always does (it alternates), NextStep always does.
        var owner = change.After("OwnerId");
        var step = change.After("NextStep");
        return $"{(owner.ValueKind == JsonValueKind.String ? owner.GetString() : "?")}|{(step.ValueKind == JsonValueKind.String ? step.GetString() : "?")}";
    }

    static string Text(JsonElement record, string name) =>
        record.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "?";
}
