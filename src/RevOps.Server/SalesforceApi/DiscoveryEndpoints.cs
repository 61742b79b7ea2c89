using RevOps.Domain.Ids;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Usage;
using RevOps.Domain.Users;

namespace RevOps.Server.SalesforceApi;

/// <summary>Versions, the resource list of a version, limits, identity and the OAuth endpoints clients log in through.</summary>
public static class DiscoveryEndpoints
{
    public static void MapPublic(IEndpointRouteBuilder app)
    {
        app.MapGet("/services/data", (HttpContext http) => SfJson.Ok(w =>
        {
            w.WriteStartArray();
            foreach (var version in ApiVersion.All)
            {
                w.WriteStartObject();
                w.WriteString("label", ApiVersion.Label(version));
                w.WriteString("url", $"/services/data/v{version}");
                w.WriteString("version", version);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }));
        app.MapPost("/services/oauth2/token", TokenAsync).DisableAntiforgery();
    }

    public static void MapAuthenticated(RouteGroupBuilder data, IEndpointRouteBuilder app)
    {
        data.MapGet("", (HttpContext http, string version) =>
        {
            var v = SfRequest.Version(version);
            if (!v.IsOk) return SfJson.Error(SfError.From(v.Error));
            var caller = SfRequest.Caller(http);
            string root = $"/services/data/v{v.Value}";
            return SfJson.Ok(w =>
            {
                w.WriteStartObject();
                foreach (var resource in new[] { "sobjects", "query", "queryAll", "limits", "composite" })
                    w.WriteString(resource, $"{root}/{resource}");
                w.WriteString("identity", IdentityUrl(http, caller));
                w.WriteEndObject();
            });
        });
        data.MapGet("/limits", async (HttpContext http, string version, IUsageStore usage, Limits.TenantRateLimiter rates, TimeProvider time, CancellationToken ct) =>
        {
            var v = SfRequest.Version(version);
            if (!v.IsOk) return SfJson.Error(SfError.From(v.Error));
            var caller = SfRequest.Caller(http);
            var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
            var report = await usage.ReportAsync(caller.Tenant.Value, today, today, ct);
            var (available, limit) = await rates.AvailableAsync(caller.Tenant, ct);
            long max = limit.Daily;
            return SfJson.Ok(w =>
            {
                w.WriteStartObject();
                w.WriteStartObject("DailyApiRequests");
                w.WriteNumber("Max", max);
                w.WriteNumber("Remaining", Math.Max(0, max - report.TotalRequests));
                w.WriteEndObject();
                // Not a Salesforce limit: the per-second rate this tenant's tier allows, and what is left of its burst now.
                w.WriteStartObject("ApiRequestsPerSecond");
                w.WriteNumber("Max", limit.PerSecond);
                w.WriteNumber("Burst", limit.Burst);
                w.WriteNumber("Remaining", available);
                w.WriteEndObject();
                w.WriteEndObject();
            });
        });
        app.MapGet("/services/oauth2/userinfo", async (HttpContext http, ITenantStore tenants, UserService users, CancellationToken ct) =>
            await IdentityAsync(http, tenants, users, openId: true, ct)).RequireAuthorization();
        app.MapGet("/id/{org}/{user}", async (HttpContext http, string org, string user, ITenantStore tenants, UserService users, CancellationToken ct) =>
        {
            var caller = SfRequest.Caller(http);
            return org == SalesforceId.ForOrganization(caller.Tenant) && user == caller.ActorId
                ? await IdentityAsync(http, tenants, users, openId: false, ct)
                : SfJson.Error(SfError.NotFound());
        }).RequireAuthorization();
    }

    static string InstanceUrl(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}";

    static string IdentityUrl(HttpContext http, Caller caller) => $"{InstanceUrl(http)}/id/{SalesforceId.ForOrganization(caller.Tenant)}/{caller.ActorId}";

    /// <summary>The caller's user as Salesforce's identity service and OpenID userinfo describe it (jsforce's conn.identity()).</summary>
    static async Task<IResult> IdentityAsync(HttpContext http, ITenantStore tenants, UserService users, bool openId, CancellationToken ct)
    {
        var caller = SfRequest.Caller(http);
        var tenant = await tenants.GetAsync(caller.Tenant, ct);
        var found = await users.FindAsync(caller.Tenant, caller.ActorId, ct);
        if (!found.IsOk) return SfJson.Error(SfError.NotFound());
        var user = found.Value;
        string org = SalesforceId.ForOrganization(caller.Tenant);
        return SfJson.Ok(w =>
        {
            w.WriteStartObject();
            if (openId)
            {
                w.WriteString("sub", IdentityUrl(http, caller));
                w.WriteString("preferred_username", user.Username);
                w.WriteString("name", user.Name);
                w.WriteString("given_name", user.Record["FirstName"] as string);
                w.WriteString("family_name", user.Record["LastName"] as string);
                w.WriteString("zoneinfo", user.Record["TimeZoneSidKey"] as string);
            }
            else
            {
                w.WriteString("id", IdentityUrl(http, caller));
                w.WriteString("username", user.Username);
                w.WriteString("display_name", user.Name);
                w.WriteString("nick_name", user.Record["Alias"] as string);
                w.WriteString("first_name", user.Record["FirstName"] as string);
                w.WriteString("last_name", user.Record["LastName"] as string);
                w.WriteString("timezone", user.Record["TimeZoneSidKey"] as string);
                w.WriteString("asserted_user", "true");
            }
            w.WriteString("user_id", caller.ActorId);
            w.WriteString("organization_id", org);
            w.WriteString("organization_name", tenant?.Name);
            w.WriteString("email", user.Email);
            w.WriteString("user_type", "STANDARD");
            w.WriteBoolean("is_admin", user.IsAdmin);
            w.WriteBoolean("active", user.IsActive);
            w.WriteStartObject("urls");
            w.WriteString("rest", $"{InstanceUrl(http)}/services/data/v{{version}}/");
            w.WriteString("sobjects", $"{InstanceUrl(http)}/services/data/v{{version}}/sobjects/");
            w.WriteString("query", $"{InstanceUrl(http)}/services/data/v{{version}}/query/");
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// OAuth 2.0 token endpoint mapped onto API keys: grant_type=password takes the API key as the
    /// password, client_credentials as client_secret. The access token is the API key itself.
    /// </summary>
    static async Task<IResult> TokenAsync(HttpContext http, TenantService tenants, CancellationToken ct)
    {
        if (!http.Request.HasFormContentType)
            return OAuthError("invalid_request", "Send application/x-www-form-urlencoded with grant_type and credentials.");
        var form = await http.Request.ReadFormAsync(ct);
        string? grant = form["grant_type"];
        string? secret = grant switch
        {
            "password" => (string?)form["password"],
            "client_credentials" => form["client_secret"],
            _ => null,
        };
        if (grant is not ("password" or "client_credentials"))
            return OAuthError("unsupported_grant_type", "grant type not supported: use password (password = API key) or client_credentials (client_secret = API key)");
        var caller = secret is null ? null : await tenants.AuthenticateAsync(secret.Trim(), SfRequest.Channel, ct);
        if (caller is null) return OAuthError("invalid_grant", "authentication failure");
        string instance = InstanceUrl(http);
        return SfJson.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteString("access_token", secret!.Trim());
            w.WriteString("instance_url", instance);
            w.WriteString("id", IdentityUrl(http, caller));
            w.WriteString("token_type", "Bearer");
            w.WriteString("issued_at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("scope", ScopeNames.Format(caller.Scopes));
            w.WriteEndObject();
        });
    }

    static IResult OAuthError(string error, string description) => SfJson.Ok(w =>
    {
        w.WriteStartObject();
        w.WriteString("error", error);
        w.WriteString("error_description", description);
        w.WriteEndObject();
    }, StatusCodes.Status400BadRequest);
}
