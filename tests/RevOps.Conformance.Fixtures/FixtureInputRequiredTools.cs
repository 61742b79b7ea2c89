using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using static ModelContextProtocol.Protocol.ElicitRequestParams;

namespace RevOps.Conformance.Fixtures;

/// <summary>
/// The tools of the suite's input-required-result scenarios (2026-07-28, SEP-2322), as its reference
/// server has them: one elicitation, one sampling, one roots/list, several at once, several rounds,
/// a request state the retry must echo (signed, so an altered one is refused), and only what the
/// client declared it can answer. Clients of earlier revisions cannot answer an input-required
/// result; they get an error result that says so.
/// </summary>
public static class FixtureInputRequiredTools
{
    const string UserName = "user_name";

    public static IReadOnlyList<McpServerTool> All { get; } =
    [
        Define("test_input_required_result_elicitation", "Asks the user's name through an input-required result, then greets them.", (request, ct) =>
        {
            var answers = FixtureInput.Require(request.Params, new Dictionary<string, InputRequest> { [UserName] = AskName("What is your name?") });
            return Text($"Hello, {FixtureInput.Entered(FixtureInput.Elicited(answers[UserName], UserName), "name")}!");
        }),
        Define("test_input_required_result_sampling", "Asks the client's model a question through an input-required result.", (request, ct) =>
        {
            const string key = "capital_question";
            var answers = FixtureInput.Require(request.Params, new Dictionary<string, InputRequest> { [key] = FixtureInput.Sample("What is the capital of France?", 100) });
            return Text($"LLM response: {FixtureInput.Text(FixtureInput.Sampled(answers[key], key))}");
        }),
        Define("test_input_required_result_list_roots", "Asks the client's roots through an input-required result.", (request, ct) =>
        {
            const string key = "client_roots";
            var answers = FixtureInput.Require(request.Params, new Dictionary<string, InputRequest> { [key] = FixtureInput.Roots() });
            return Text($"Client roots: {RootList(FixtureInput.Rooted(answers[key], key))}");
        }),
        Define("test_input_required_result_request_state", "Asks for a confirmation with a request state the retry must echo.", (request, ct) =>
        {
            const string key = "confirm", state = "request_state";
            bool echoed = FixtureRequestState.Read(request.Params?.RequestState) == state;
            var answers = FixtureInput.Require(echoed ? request.Params : null, new Dictionary<string, InputRequest> { [key] = AskOk("Please confirm") }, FixtureRequestState.Sign(state));
            return Text($"state-ok: the request state came back intact; ok={FixtureInput.Entered(FixtureInput.Elicited(answers[key], key), "ok")}");
        }),
        Define("test_input_required_result_tampered_state", "Asks for a confirmation with a signed request state; an altered one is refused.", (request, ct) =>
        {
            const string key = "confirm", state = "tampered_state";
            bool echoed = FixtureRequestState.Read(request.Params?.RequestState) == state;
            var answers = FixtureInput.Require(echoed ? request.Params : null, new Dictionary<string, InputRequest> { [key] = AskOk("Please confirm") }, FixtureRequestState.Sign(state));
            return Text($"Confirmed with an intact request state: ok={FixtureInput.Entered(FixtureInput.Elicited(answers[key], key), "ok")}");
        }),
        Define("test_input_required_result_multiple_inputs", "Asks for an elicitation, a sampling and the roots in one input-required result.", (request, ct) =>
        {
            const string state = "multiple_inputs";
            bool echoed = FixtureRequestState.Read(request.Params?.RequestState) == state;
            var answers = FixtureInput.Require(echoed ? request.Params : null, new Dictionary<string, InputRequest>
            {
                [UserName] = AskName("What is your name?"),
                ["greeting"] = FixtureInput.Sample("Generate a greeting", 50),
                ["client_roots"] = FixtureInput.Roots(),
            }, FixtureRequestState.Sign(state));
            return Text($"Name: {FixtureInput.Entered(FixtureInput.Elicited(answers[UserName], UserName), "name")}; " +
                $"greeting: {FixtureInput.Text(FixtureInput.Sampled(answers["greeting"], "greeting"))}; roots: {RootList(FixtureInput.Rooted(answers["client_roots"], "client_roots"))}");
        }),
        Define("test_input_required_result_multi_round", "Asks two questions in two rounds, the request state carrying the first answer.", (request, ct) =>
        {
            const string round1 = "multi_round:1", round2 = "multi_round:2:";
            string? state = FixtureRequestState.Read(request.Params?.RequestState);
            if (state is not null && state.StartsWith(round2, StringComparison.Ordinal))
            {
                var colour = FixtureInput.Require(request.Params, new Dictionary<string, InputRequest> { ["step2"] = AskColour() }, FixtureRequestState.Sign(state));
                return Text($"Hello, {state[round2.Length..]}! Your favorite color is {FixtureInput.Entered(FixtureInput.Elicited(colour["step2"], "step2"), "color")}.");
            }
            var name = FixtureInput.Require(state == round1 ? request.Params : null,
                new Dictionary<string, InputRequest> { ["step1"] = AskName("Step 1: What is your name?") }, FixtureRequestState.Sign(round1));
            throw new InputRequiredException(new Dictionary<string, InputRequest> { ["step2"] = AskColour() },
                FixtureRequestState.Sign(round2 + FixtureInput.Entered(FixtureInput.Elicited(name["step1"], "step1"), "name")));
        }),
        Define("test_input_required_result_capabilities", "Asks only for the input the client declared it can give (elicitation, sampling, roots).", (request, ct) =>
        {
            var declared = FixtureInput.Declared(request);
            var asked = new Dictionary<string, InputRequest>();
            if (declared.Elicitation is not null) asked[UserName] = AskName("What is your name?");
            if (declared.Sampling is not null) asked["greeting"] = FixtureInput.Sample("Generate a greeting", 50);
            if (declared.Roots is not null) asked["client_roots"] = FixtureInput.Roots();
            if (asked.Count == 0) return Text("The client declared no capability to ask it anything through (elicitation, sampling, roots).");
            var answers = FixtureInput.Require(request.Params, asked);
            return Text($"Answered: {string.Join(", ", answers.Keys.Order(StringComparer.Ordinal))}.");
        }),
    ];

    static InputRequest AskName(string message) => FixtureInput.Elicit(message, "name", new StringSchema());

    static InputRequest AskOk(string message) => FixtureInput.Elicit(message, "ok", new BooleanSchema());

    static InputRequest AskColour() => FixtureInput.Elicit("Step 2: What is your favorite color?", "color", new StringSchema());

    static string RootList(ListRootsResult roots) => roots.Roots.Count == 0 ? "none" : string.Join(", ", roots.Roots.Select(r => r.Name is null ? r.Uri : $"{r.Name} ({r.Uri})"));

    static FixtureTool Define(string name, string description, Func<RequestContext<CallToolRequestParams>, CancellationToken, CallToolResult> handler)
    {
        using var schema = JsonDocument.Parse("""{"type":"object","properties":{}}""");
        return new FixtureTool(new Tool { Name = name, Description = description, InputSchema = schema.RootElement.Clone() }, (request, ct) =>
            ValueTask.FromResult(request.Server.IsMrtrSupported ? handler(request, ct) : FixtureInput.NeedsMrtr(name)));
    }

    static CallToolResult Text(string text) => new() { Content = [new TextContentBlock { Text = text }] };
}
