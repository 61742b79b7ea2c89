using RevOps.Domain.Tenancy;

namespace RevOps.Server.Auth;

/// <summary>
/// OAuth 2.0 Protected Resource Metadata (RFC 9728), which MCP clients of revision 2025-06-18 and
/// later read to learn how to authenticate: bearer tokens in the Authorization header, with the
/// scopes keys can carry. The 401 challenge points at it through resource_metadata.
/// </summary>
public static class ProtectedResourceMetadata
{
    public const string Path = "/.well-known/oauth-protected-resource";

    public static string Url(HttpRequest request) => $"{request.Scheme}://{request.Host}{Path}";

    public static IEndpointRouteBuilder MapProtectedResourceMetadata(this IEndpointRouteBuilder app)
    {
        // RFC 9728 §3.1: the resource's path may follow the well-known suffix.
        foreach (var path in new[] { Path, Path + "/mcp" })
            app.MapGet(path, (HttpContext http, Hosting.RevOpsOptions options) => Results.Json(new Metadata(
                Resource: $"{http.Request.Scheme}://{http.Request.Host}/mcp",
                ResourceName: "RevOps CRM",
                BearerMethodsSupported: ["header"],
                ScopesSupported: [ScopeNames.Format(Scopes.Read), ScopeNames.Format(Scopes.Read | Scopes.Write), ScopeNames.Format(Scopes.Read | Scopes.Write | Scopes.Admin)],
                ResourceDocumentation: "API keys (revops_live_…) are bearer tokens: send Authorization: Bearer <key>. Operators create them with revops key create or POST /tenants."
                    + (options.Jwt is null ? "" : " JWTs signed by the authorization server listed here are accepted too; they carry the tenant id in a 'tenant' claim and the scopes in 'scope'."),
                AuthorizationServers: options.Jwt is null ? null : [options.Jwt.Issuer]),
                Json.ServerJson.Default.Metadata));
        return app;
    }

    public sealed record Metadata(
        [property: System.Text.Json.Serialization.JsonPropertyName("resource")] string Resource,
        [property: System.Text.Json.Serialization.JsonPropertyName("resource_name")] string ResourceName,
        [property: System.Text.Json.Serialization.JsonPropertyName("bearer_methods_supported")] string[] BearerMethodsSupported,
        [property: System.Text.Json.Serialization.JsonPropertyName("scopes_supported")] string[] ScopesSupported,
        [property: System.Text.Json.Serialization.JsonPropertyName("resource_documentation")] string ResourceDocumentation,
        [property: System.Text.Json.Serialization.JsonPropertyName("authorization_servers"),
                   System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string[]? AuthorizationServers);
}
