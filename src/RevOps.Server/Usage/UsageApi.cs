using RevOps.Domain.Errors;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Usage;
using RevOps.Server.Auth;
using RevOps.Server.Json;

namespace RevOps.Server.Usage;

/// <summary>
/// GET /api/usage?from=&amp;to=: a tenant's requests, outcomes and latency per tool and per day, with
/// an invoice preview. A tenant's key (any scope) reads its own tenant; the operator's admin
/// token reads any tenant named with ?tenant=. A key asking for another tenant gets the same 403
/// whether that tenant exists or not.
/// </summary>
public static class UsageApi
{
    public static IEndpointRouteBuilder MapUsageApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/usage", GetAsync);
        return app;
    }

    static async Task<IResult> GetAsync(HttpContext http, AdminToken admin, UsageService usage, CancellationToken ct)
    {
        string from = http.Request.Query["from"].ToString(), to = http.Request.Query["to"].ToString(), named = http.Request.Query["tenant"].ToString();
        TenantId tenant;
        if (admin.Matches(http.Request.Headers.Authorization))
        {
            if (named.Length == 0)
                return ApiJson.Error(new CrmError(ErrorCodes.InvalidArgument, "The admin token belongs to no tenant: name one with ?tenant=<tenant id>.", "tenant"));
            if (!TenantId.TryParse(named, out tenant))
                return ApiJson.Error(new CrmError(ErrorCodes.NotFound, $"no tenant '{named}'.", "tenant"));
        }
        else
        {
            if (ApiCaller.Of(http) is not { } caller) return Results.Challenge();
            if (named.Length > 0 && !(TenantId.TryParse(named, out var asked) && asked == caller.Tenant))
                return ApiJson.Error(new CrmError(ErrorCodes.InsufficientAccess,
                    "?tenant= is for the operator's admin token; an API key reads only its own tenant's usage. Leave ?tenant= out.", "tenant"));
            tenant = caller.Tenant;
        }
        var statement = await usage.GetAsync(tenant, from, to, ct);
        return statement.IsOk ? ApiJson.Ok(w => UsageJson.Write(w, statement.Value)) : ApiJson.Error(statement.Error);
    }
}
