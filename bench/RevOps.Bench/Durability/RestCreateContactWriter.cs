using System.Net;

namespace RevOps.Bench.Durability;

/// <summary>REST `POST /services/data/v60.0/sobjects/Contact`, one contact per call (201 and its id).</summary>
public sealed class RestCreateContactWriter(TenantRun tenant, int index) : ContactCreateWriter(ChannelName, tenant, index)
{
    public const string ChannelName = "rest_create_contact";

    protected override async Task<Answer> WriteNextAsync(CrmClient client, CancellationToken ct)
    {
        Pending ??= [ContactSpec.Named(NextName(), ChannelName)];
        var spec = Pending[0];
        var answer = await client.PostAsync("sobjects/Contact", spec.WriteFields, HttpStatusCode.Created, ct);
        if (answer.Kind == AnswerKind.Acknowledged)
        {
            if (answer.Body.TryGetProperty("id", out var id) && id.GetString() is { Length: 18 } value)
            {
                Acknowledge(value, spec);
                Pending = null;
                return answer;
            }
            answer = Answer.Refused($"201 without an id: {answer.Body.GetRawText()}");
        }
        if (answer.Kind == AnswerKind.Refused) ForgetPending();
        return answer;
    }

    protected override string PendingQuery() => Pending![0].Query();
}
