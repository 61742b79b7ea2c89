using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using static ModelContextProtocol.Protocol.ElicitRequestParams;

namespace RevOps.Conformance.Fixtures;

/// <summary>
/// Asking the client for input the 2026-07-28 way (multi round-trip requests, SEP-2322): the first
/// call answers an input-required result naming what it needs (elicitation, sampling, roots), the
/// client retries the same call with the answers under the same keys. A stateless server can do
/// this; it cannot send elicitation/create or sampling/createMessage in the middle of a call.
/// </summary>
public static class FixtureInput
{
    public static InputRequest Elicit(string message, string property, PrimitiveSchemaDefinition schema) => InputRequest.ForElicitation(new ElicitRequestParams
    {
        Message = message,
        RequestedSchema = new RequestSchema { Properties = new Dictionary<string, PrimitiveSchemaDefinition> { [property] = schema }, Required = [property] },
    });

    public static InputRequest Sample(string prompt, int maxTokens) => InputRequest.ForSampling(new CreateMessageRequestParams
    {
        Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock { Text = prompt }] }],
        MaxTokens = maxTokens,
    });

    public static InputRequest Roots() => InputRequest.ForRootsList(new ListRootsRequestParams());

    /// <summary>
    /// The client's answers to every request in <paramref name="asked"/>, read from the retry; when
    /// any is missing, the input-required result that asks (again) for those, with <paramref name="state"/>.
    /// </summary>
    public static IReadOnlyDictionary<string, InputResponse> Require(RequestParams? request, IReadOnlyDictionary<string, InputRequest> asked, string? state = null)
    {
        var answers = new Dictionary<string, InputResponse>(StringComparer.Ordinal);
        var missing = new Dictionary<string, InputRequest>(StringComparer.Ordinal);
        foreach (var (key, ask) in asked)
        {
            if (request?.InputResponses?.TryGetValue(key, out var answer) == true && answer is not null) answers[key] = answer;
            else missing[key] = ask;
        }
        return missing.Count == 0 ? answers : throw new InputRequiredException(missing, state);
    }

    public static ElicitResult Elicited(InputResponse answer, string key) => Read(answer, key, InputResponse.ElicitResultJsonTypeInfo, "an elicitation result ({\"action\":\"accept\",\"content\":{…}})");

    public static CreateMessageResult Sampled(InputResponse answer, string key) => Read(answer, key, InputResponse.CreateMessageResultJsonTypeInfo, "a sampling result ({\"role\":\"assistant\",\"content\":{…},\"model\":…})");

    public static ListRootsResult Rooted(InputResponse answer, string key) => Read(answer, key, InputResponse.ListRootsResultJsonTypeInfo, "a roots/list result ({\"roots\":[…]})");

    /// <summary>A string the user entered in an accepted elicitation; the action when they declined or cancelled.</summary>
    public static string Entered(ElicitResult answer, string property) =>
        answer.IsAccepted && answer.Content?.TryGetValue(property, out var value) == true ? value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText() : $"({answer.Action})";

    public static string Text(CreateMessageResult answer) => string.Join("", answer.Content.OfType<TextContentBlock>().Select(b => b.Text));

    public static string Json(ElicitResult answer) =>
        answer.Content is null ? "{}" : JsonSerializer.Serialize(answer.Content, McpJsonUtilities.DefaultOptions.GetTypeInfo(answer.Content.GetType()));

    /// <summary>The client capabilities this request declared (2026-07-28 declares them per request in _meta).</summary>
    public static ClientCapabilities Declared<T>(RequestContext<T> request) =>
        request.JsonRpcRequest.Context?.ClientCapabilities ?? request.Server.ClientCapabilities ?? new ClientCapabilities();

    /// <summary>What a client of an earlier revision gets from a tool that can only ask the 2026-07-28 way.</summary>
    public static CallToolResult NeedsMrtr(string tool) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = $"{tool} asks for input with an input-required result, which only clients of protocol 2026-07-28 or later can answer." }],
    };

    static T Read<T>(InputResponse answer, string key, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string expected)
    {
        try
        {
            return answer.Deserialize(type) ?? throw new JsonException("null");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException)
        {
            throw new McpProtocolException($"inputResponses.{key} must be {expected}.", McpErrorCode.InvalidParams);
        }
    }
}
