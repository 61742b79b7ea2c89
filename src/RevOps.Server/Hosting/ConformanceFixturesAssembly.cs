using System.Reflection;

namespace RevOps.Server.Hosting;

/// <summary>
/// The MCP conformance suite's fixtures live in their own assembly (tests/RevOps.Conformance.Fixtures), outside
/// the server: with --conformance-fixtures the server loads it from its own directory, where the build puts it.
/// A published server does not carry it, so the flag fails there with a message that says why.
/// </summary>
public static class ConformanceFixturesAssembly
{
    public const string Name = "RevOps.Conformance.Fixtures";
    const string InstallerType = Name + ".ConformanceFixtures";
    const string InstallerMethod = "WithConformanceFixtures";

    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, Name + ".dll");

    /// <summary>Why the fixtures cannot be served, or null when their assembly is in place.</summary>
    public static string? Problem() => File.Exists(Path)
        ? null
        : $"--conformance-fixtures needs {Name}.dll next to the server, and there is none at {Path}. It is a test assembly: " +
          "build tests/RevOps.Conformance.Fixtures (dotnet build RevOps.slnx does), or start the server without the flag.";

    /// <summary>Serves the fixture tools, resources and prompts on <paramref name="mcp"/>; throws when the assembly is missing.</summary>
    public static IMcpServerBuilder Install(IMcpServerBuilder mcp)
    {
        if (Problem() is { } problem) throw new InvalidOperationException(problem);
        var installer = Assembly.LoadFrom(Path).GetType(InstallerType)?.GetMethod(InstallerMethod, [typeof(IMcpServerBuilder)])
            ?? throw new InvalidOperationException($"{Path} has no {InstallerType}.{InstallerMethod}(IMcpServerBuilder).");
        installer.Invoke(null, [mcp]);
        return mcp;
    }
}
