using ModelContextProtocol.Protocol;

namespace RevOps.Conformance.Fixtures;

/// <summary>
/// The fixture tools, resources and prompts that the official MCP conformance suite's server
/// scenarios call (they come from its reference server), served next to ours so the suite
/// exercises our real HTTP stack: auth, Host/Origin checks, stateless Streamable HTTP. Installed
/// only by `revops serve --conformance-fixtures`; without it none of them is listed or callable.
/// </summary>
public static class ConformanceFixtures
{
    public static IMcpServerBuilder WithConformanceFixtures(this IMcpServerBuilder builder) => builder
        .WithTools(FixtureTools.All)
        .WithTools(FixtureInputRequiredTools.All)
        .WithTools(FixtureStatelessTools.All)
        .WithResources(FixtureResources.All)
        .WithPrompts(FixturePrompts.All)
        .WithPrompts([new FixtureInputRequiredPrompt()])
        // Subscriptions are accepted, but in stateless mode no stream outlives a request, so no
        // notifications/resources/updated is ever sent; the fixture resources never change anyway.
        .WithSubscribeToResourcesHandler((request, ct) => ValueTask.FromResult(new EmptyResult()))
        .WithUnsubscribeFromResourcesHandler((request, ct) => ValueTask.FromResult(new EmptyResult()));
}
