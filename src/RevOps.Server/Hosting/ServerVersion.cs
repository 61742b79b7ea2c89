namespace RevOps.Server.Hosting;

/// <summary>The server's version (major.minor.patch of the assembly), shown to MCP clients and in webhook User-Agents.</summary>
public static class ServerVersion
{
    public static string Current { get; } =
        typeof(ServerVersion).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
