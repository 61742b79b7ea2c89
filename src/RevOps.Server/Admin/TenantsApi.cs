using System.Text.Json.Serialization;
using RevOps.Domain.Tenancy;
using RevOps.Server.Auth;
using RevOps.Server.Hosting;
using RevOps.Server.Json;

namespace RevOps.Server.Admin;

public sealed record CreateTenantRequest(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("domain")] string? Domain,
    [property: JsonPropertyName("subscription_tier")] string? SubscriptionTier,
    [property: JsonPropertyName("admin_email")] string? AdminEmail = null,
    [property: JsonPropertyName("admin_name")] string? AdminName = null);

public sealed record CreateTenantResponse(
    [property: JsonPropertyName("tenant_id")] string TenantId,
    [property: JsonPropertyName("api_key")] string ApiKey,
    [property: JsonPropertyName("api_key_id")] string ApiKeyId,
    [property: JsonPropertyName("mcp_endpoint")] string McpEndpoint,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("user_id")] string UserId,
    [property: JsonPropertyName("username")] string Username)
{
    public const string StoreKeyMessage = "Store your API key securely - it will not be shown again.";
}

/// <summary>POST /tenants: the operator (admin token) creates a tenant and its first API key.</summary>
public static class TenantsApi
{
    public static IEndpointRouteBuilder MapTenantsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/tenants", CreateTenantAsync);
        return app;
    }

    static async Task<IResult> CreateTenantAsync(HttpContext http, TenantService tenants, AdminToken admin, CancellationToken ct)
    {
        if (!admin.Matches(http.Request.Headers.Authorization))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return TypedResults.Json(new ErrorBody("unauthorized", "Creating tenants needs the operator's admin token: Authorization: Bearer <admin token> (see the data directory's admin-token file)."),
                ServerJson.Default.ErrorBody, statusCode: StatusCodes.Status401Unauthorized);
        }

        CreateTenantRequest? body;
        try
        {
            body = await http.Request.ReadFromJsonAsync(ServerJson.Default.CreateTenantRequest, ct);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or BadHttpRequestException)
        {
            return BadRequest("invalid_json", "The body must be JSON like {\"name\": \"Acme\", \"domain\": \"acme.com\", \"subscription_tier\": \"professional\"}.");
        }

        var created = await tenants.CreateTenantAsync(body?.Name, body?.Domain, body?.SubscriptionTier, Domain.Audit.AuditSource.Operator(http.TraceIdentifier), ct,
            body?.AdminEmail, body?.AdminName);
        if (!created.IsOk) return BadRequest(created.Error.Code, created.Error.Message);
        var request = http.Request;
        var response = new CreateTenantResponse(created.Value.Tenant.Id.ToString(), created.Value.Secret, created.Value.Key.Id,
            $"{request.Scheme}://{request.Host}/mcp", CreateTenantResponse.StoreKeyMessage, created.Value.FirstUser.Id, created.Value.FirstUser.Username);
        return TypedResults.Json(response, ServerJson.Default.CreateTenantResponse, statusCode: StatusCodes.Status201Created);
    }

    static IResult BadRequest(string code, string message) =>
        TypedResults.Json(new ErrorBody(code, message), ServerJson.Default.ErrorBody, statusCode: StatusCodes.Status400BadRequest);
}
