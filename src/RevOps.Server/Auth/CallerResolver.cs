using System.Security.Claims;
using RevOps.Domain.Tenancy;

namespace RevOps.Server.Auth;

/// <summary>
/// The caller of an MCP request: from the authenticated principal over HTTP, or the fixed
/// local caller that `revops mcp` (stdio) registers for the tenant it was started for.
/// </summary>
public static class CallerResolver
{
    public const string McpChannel = "mcp";

    public static Caller? Resolve(ClaimsPrincipal? user, IServiceProvider services) =>
        CallerClaims.FromPrincipal(user, McpChannel) ?? services.GetService<LocalCaller>()?.Caller;
}

/// <summary>The one caller of a local stdio server.</summary>
public sealed record LocalCaller(Caller Caller);
