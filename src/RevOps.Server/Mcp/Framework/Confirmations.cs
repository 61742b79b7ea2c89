using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using RevOps.Domain.Tenancy;

namespace RevOps.Server.Mcp.Framework;

/// <summary>
/// What a destructive tool asks its user before it runs: a sentence saying what will happen (e.g.
/// "Delete Account 'Acme' and the 7 records that go with it?"), or null when the call needs no
/// confirmation (a delete that takes nothing with it, a call that will fail anyway).
/// </summary>
public delegate ValueTask<string?> ConfirmationQuestion(Caller caller, ToolArguments args, CancellationToken ct);

/// <summary>
/// Confirmations for destructive calls with the 2026-07-28 multi round-trip pattern: to a client
/// that negotiated it and declared elicitation, the first call answers an input-required result
/// asking the user (what will happen, and a confirm box); the client's retry carries the answer
/// and the request state, which ties the answer to these exact arguments. A stateless server keeps
/// nothing between the two calls. Clients without elicitation get today's behaviour (dry_run to
/// preview), and so does a dry run.
/// </summary>
public static class Confirmations
{
    public const string InputKey = "confirm";
    const string StatePrefix = "confirm:";

    public static bool ClientCanAnswer(McpServer server) => server.IsMrtrSupported && server.ClientCapabilities?.Elicitation is not null;

    /// <summary>The state a confirmation of this call carries: the tool and its arguments, hashed.</summary>
    public static string StateOf(string tool, ToolArguments args) => StatePrefix + PageCursor.Fingerprint(tool, args);

    /// <summary>The user's answer on a retry of this very call; null when there is none (a first call, other arguments, or no answer a client could have sent).</summary>
    public static ElicitResult? AnswerOf(CallToolRequestParams? request, string state)
    {
        if (request?.RequestState != state || request.InputResponses?.TryGetValue(InputKey, out var response) != true) return null;
        try
        {
            return response!.Deserialize(InputResponse.ElicitResultJsonTypeInfo);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>Accepted with the box ticked; an accept that left it unticked is a no.</summary>
    public static bool Confirmed(ElicitResult answer) =>
        answer.IsAccepted && answer.Content?.TryGetValue(InputKey, out var box) == true && box.ValueKind == System.Text.Json.JsonValueKind.True;

    public static InputRequiredException Ask(string question, string state) => new(
        new Dictionary<string, InputRequest>
        {
            [InputKey] = InputRequest.ForElicitation(new ElicitRequestParams
            {
                Message = question,
                RequestedSchema = new ElicitRequestParams.RequestSchema
                {
                    Properties = new Dictionary<string, ElicitRequestParams.PrimitiveSchemaDefinition>
                    {
                        [InputKey] = new ElicitRequestParams.BooleanSchema { Title = "Yes, go ahead", Default = false },
                    },
                    Required = [InputKey],
                },
            }),
        },
        state);

    /// <summary>The answer when the user says no: not an error, and nothing was changed.</summary>
    public static CallToolResult Declined(string tool) => ToolResults.FromJson(w =>
    {
        w.WriteStartObject();
        w.WriteBoolean("cancelled", true);
        w.WriteString("message", $"The user declined; {tool} changed nothing.");
        w.WriteEndObject();
    });
}
