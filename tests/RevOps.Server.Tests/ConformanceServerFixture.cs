namespace RevOps.Server.Tests;

/// <summary>The real server started with --conformance-fixtures, as tests/conformance runs it.</summary>
public sealed class ConformanceServerFixture : IAsyncLifetime
{
    public CrmServerFixture Server { get; } = new(conformanceFixtures: true);

    public ValueTask InitializeAsync() => Server.InitializeAsync();

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
