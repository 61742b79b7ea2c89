namespace RevOps.Server.Tests;

/// <summary>The real server with semantic search on: one per test run, shared by the semantic tests (the model loads once).</summary>
public sealed class SemanticServerFixture : IAsyncLifetime
{
    public CrmServerFixture Server { get; } = new(conformanceFixtures: false, semantic: true);

    public ValueTask InitializeAsync() => Server.InitializeAsync();

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
