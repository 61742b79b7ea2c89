using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace RevOps.Conformance.Fixtures;

/// <summary>One of the suite's fixture prompts; the SDK lists it next to ours and answers prompts/get for it before our handler.</summary>
public sealed class FixturePrompt(Prompt prompt, Func<IReadOnlyDictionary<string, string>, IList<PromptMessage>> messages) : McpServerPrompt
{
    public override Prompt ProtocolPrompt { get; } = prompt;

    public override IReadOnlyList<object> Metadata { get; } = [];

    public override ValueTask<GetPromptResult> GetAsync(RequestContext<GetPromptRequestParams> request, CancellationToken ct)
    {
        var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in request.Params?.Arguments ?? new Dictionary<string, System.Text.Json.JsonElement>())
            if (value.ValueKind == System.Text.Json.JsonValueKind.String) arguments[name] = value.GetString()!;
        foreach (var argument in ProtocolPrompt.Arguments ?? [])
            if (argument.Required == true && !arguments.ContainsKey(argument.Name))
                throw new McpProtocolException($"{ProtocolPrompt.Name} needs the argument '{argument.Name}'.", McpErrorCode.InvalidParams);
        return ValueTask.FromResult(new GetPromptResult { Description = ProtocolPrompt.Description, Messages = messages(arguments) });
    }
}
