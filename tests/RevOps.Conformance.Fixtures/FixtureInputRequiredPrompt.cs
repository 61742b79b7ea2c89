using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using static ModelContextProtocol.Protocol.ElicitRequestParams;

namespace RevOps.Conformance.Fixtures;

/// <summary>
/// The prompt of the suite's input-required-result-non-tool-request scenario: prompts/get asks the
/// user for context through an input-required result first (2026-07-28, SEP-2322), then returns
/// the prompt built from the answer. Clients of earlier revisions get invalid params saying so.
/// </summary>
public sealed class FixtureInputRequiredPrompt : McpServerPrompt
{
    const string Key = "user_context";

    public override Prompt ProtocolPrompt { get; } = new() { Name = "test_input_required_result_prompt", Description = "Asks the user for context, then returns a prompt that uses it." };

    public override IReadOnlyList<object> Metadata { get; } = [];

    public override ValueTask<GetPromptResult> GetAsync(RequestContext<GetPromptRequestParams> request, CancellationToken ct)
    {
        if (!request.Server.IsMrtrSupported)
            throw new McpProtocolException($"{ProtocolPrompt.Name} asks for input with an input-required result, which only clients of protocol 2026-07-28 or later can answer.", McpErrorCode.InvalidParams);
        var answers = FixtureInput.Require(request.Params, new Dictionary<string, InputRequest>
        {
            [Key] = FixtureInput.Elicit("What context should the prompt use?", "context", new StringSchema()),
        });
        string context = FixtureInput.Entered(FixtureInput.Elicited(answers[Key], Key), "context");
        return ValueTask.FromResult(new GetPromptResult
        {
            Description = ProtocolPrompt.Description,
            Messages = [new PromptMessage { Role = Role.User, Content = new TextContentBlock { Text = $"Answer with this context in mind: {context}" } }],
        });
    }
}
