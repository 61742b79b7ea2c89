using System.Reflection;
using NetArchTest.Rules;

namespace RevOps.Architecture.Tests;

/// <summary>
/// The architecture's "nevers" (ARCHITECTURE.md, STYLE.md section 1) as rules over the compiled assemblies: each rule
/// lists every type that breaks it, so a broken rule fails the build's test pass with the culprits named.
/// </summary>
public sealed class LayerRulesTests
{
    static readonly Assembly Domain = typeof(RevOps.Domain.RecordService).Assembly;
    static readonly Assembly Storage = typeof(RevOps.Storage.StorageBackend).Assembly;
    static readonly Assembly Server = typeof(RevOps.Server.Hosting.RevOpsServer).Assembly;

    const string StorageNamespace = "RevOps.Storage";
    const string ServerNamespace = "RevOps.Server";

    /// <summary>The protocol adapters of the server: thin, each on its own, and never touching storage directly.</summary>
    public static TheoryData<string> Adapters => ["RevOps.Server.Mcp", "RevOps.Server.SalesforceApi", "RevOps.Server.Admin", "RevOps.Server.Console"];

    [Fact]
    public void Domain_ReferencesNeitherStorageNorServer()
    {
        AssertNoReference(Domain, StorageNamespace, ServerNamespace);
        AssertKept(Types.InAssembly(Domain).ShouldNot().HaveDependencyOnAny(StorageNamespace, ServerNamespace).GetResult(),
            "RevOps.Domain must not use RevOps.Storage or RevOps.Server");
    }

    [Fact]
    public void Storage_DoesNotReferenceServer()
    {
        AssertNoReference(Storage, ServerNamespace);
        AssertKept(Types.InAssembly(Storage).ShouldNot().HaveDependencyOn(ServerNamespace).GetResult(),
            "RevOps.Storage must not use RevOps.Server");
    }

    /// <summary>
    /// Each storage algorithm is written once over Sql/ (STYLE.md section 8): only the engine folders may reach an
    /// engine's driver or code, and neither engine folder reaches the other. StorageBackend, which opens the engine
    /// the location names, is the one neutral type that knows both.
    /// </summary>
    [Fact]
    public void StorageAlgorithms_UseNoEngine_AndEachEngineOnlyItsOwn()
    {
        var neutral = Types.InAssembly(Storage).That().ResideInNamespace(StorageNamespace)
            .And().DoNotResideInNamespace("RevOps.Storage.Sqlite").And().DoNotResideInNamespace("RevOps.Storage.Postgres")
            .And().DoNotHaveName(nameof(RevOps.Storage.StorageBackend));
        Assert.NotEmpty(neutral.GetTypes());
        AssertKept(neutral.ShouldNot().HaveDependencyOnAny("Microsoft.Data.Sqlite", "Npgsql", "NpgsqlTypes", "RevOps.Storage.Sqlite", "RevOps.Storage.Postgres").GetResult(),
            "RevOps.Storage outside Sqlite/ and Postgres/ must not use an engine's driver or code");
        AssertKept(Types.InAssembly(Storage).That().ResideInNamespace("RevOps.Storage.Sqlite")
                .ShouldNot().HaveDependencyOnAny("Npgsql", "NpgsqlTypes", "RevOps.Storage.Postgres").GetResult(),
            "RevOps.Storage.Sqlite must not use PostgreSQL's driver or RevOps.Storage.Postgres");
        AssertKept(Types.InAssembly(Storage).That().ResideInNamespace("RevOps.Storage.Postgres")
                .ShouldNot().HaveDependencyOnAny("Microsoft.Data.Sqlite", "RevOps.Storage.Sqlite").GetResult(),
            "RevOps.Storage.Postgres must not use SQLite's driver or RevOps.Storage.Sqlite");
    }

    [Theory]
    [MemberData(nameof(Adapters))]
    public void Adapter_UsesNoOtherAdapterAndNoStorage(string adapter)
    {
        string[] forbidden = [.. Adapters.Select(a => (string)a.Data).Where(a => a != adapter), StorageNamespace];
        var adapterTypes = Types.InAssembly(Server).That().ResideInNamespace(adapter);
        Assert.NotEmpty(adapterTypes.GetTypes());
        AssertKept(adapterTypes.ShouldNot().HaveDependencyOnAny(forbidden).GetResult(),
            $"{adapter}* must not use {string.Join(", ", forbidden.Select(f => f + "*"))}");
    }

    [Fact]
    public void Server_CarriesNoConformanceFixtures()
    {
        AssertNoReference(Server, "RevOps.Conformance");
        Assert.DoesNotContain(Server.GetTypes(), type => type.Namespace?.Contains(".Conformance", StringComparison.Ordinal) == true);
    }

    static void AssertNoReference(Assembly assembly, params string[] forbidden)
    {
        var referenced = assembly.GetReferencedAssemblies().Select(a => a.Name!).Where(name => forbidden.Any(f => name == f || name.StartsWith(f + ".", StringComparison.Ordinal)));
        Assert.True(!referenced.Any(), $"{assembly.GetName().Name} references {string.Join(", ", referenced)}.");
    }

    static void AssertKept(NetArchTest.Rules.TestResult result, string rule) =>
        Assert.True(result.IsSuccessful, $"{rule}; these types do: {string.Join(", ", result.FailingTypeNames ?? [])}.");
}
