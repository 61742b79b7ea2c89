using System.Globalization;
using System.Text.Json;
using RevOps.Domain.Audit;
using RevOps.Domain.Errors;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Users;
using RevOps.Server.Auth;
using RevOps.Server.Json;

namespace RevOps.Server.Admin;

/// <summary>
/// A tenant's own API keys, managed with one of its admin keys, so a key can be rotated without
/// the CLI: POST a new key, move clients to it (both work meanwhile), DELETE the old one, which
/// stops working on the very next request.
/// </summary>
public static class KeysApi
{
    public static RouteGroupBuilder MapKeysApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/keys").RequireAuthorization();
        api.MapPost("", CreateKeyAsync);
        api.MapGet("", ListKeysAsync);
        api.MapDelete("/{id}", RevokeKeyAsync);
        return api;
    }

    /// <summary>
    /// {"scope": "read|write|admin" (default write), "expires_at": "2027-01-01T00:00:00Z" (optional), "user": email, username or
    /// User Id (optional; the calling key's user by default)} → 201 with the secret, shown once. The key acts as that user.
    /// </summary>
    static async Task<IResult> CreateKeyAsync(HttpContext http, TenantService tenants, UserService users, CancellationToken ct)
    {
        var (caller, refusal) = ApiCaller.Admin(http, "Creating API keys");
        if (caller is null) return refusal!;
        var (request, problem) = await ReadRequestAsync(http, ct);
        if (problem is not null) return ApiJson.Error(problem);
        var owner = await users.FindAsync(caller.Tenant, request.User ?? caller.ActorId, ct);
        if (!owner.IsOk) return ApiJson.Error(owner.Error);
        var created = await tenants.CreateKeyAsync(caller.Tenant, owner.Value, request.Scopes, request.ExpiresAt, AuditSource.Of(caller), ct);
        if (!created.IsOk) return ApiJson.Error(created.Error);
        return ApiJson.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteString("api_key", created.Value.Secret);
            WriteKeyFields(w, created.Value.Key, DateTime.UtcNow);
            w.WriteString("message", CreateTenantResponse.StoreKeyMessage);
            w.WriteEndObject();
        }, StatusCodes.Status201Created);
    }

    static async Task<IResult> ListKeysAsync(HttpContext http, ITenantStore store, TimeProvider time, CancellationToken ct)
    {
        var (caller, refusal) = ApiCaller.Admin(http, "Listing API keys");
        if (caller is null) return refusal!;
        var keys = await store.ListKeysAsync(caller.Tenant, ct);
        var now = time.GetUtcNow().UtcDateTime;
        return ApiJson.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("keys");
            foreach (var key in keys)
            {
                w.WriteStartObject();
                WriteKeyFields(w, key, now);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    static async Task<IResult> RevokeKeyAsync(string id, HttpContext http, TenantService tenants, TimeProvider time, CancellationToken ct)
    {
        var (caller, refusal) = ApiCaller.Admin(http, "Revoking API keys");
        if (caller is null) return refusal!;
        var revoked = await tenants.RevokeKeyAsync(caller.Tenant, id, AuditSource.Of(caller), ct);
        if (!revoked.IsOk) return ApiJson.Error(revoked.Error);
        return ApiJson.Ok(w =>
        {
            w.WriteStartObject();
            WriteKeyFields(w, revoked.Value, time.GetUtcNow().UtcDateTime);
            w.WriteEndObject();
        });
    }

    /// <summary>id, prefix, scope, status (active, expired, revoked) and the key's times; never its secret or hash.</summary>
    static void WriteKeyFields(Utf8JsonWriter w, ApiKey key, DateTime now)
    {
        w.WriteString("id", key.Id);
        w.WriteString("tenant_id", key.Tenant.ToString());
        w.WriteString("prefix", key.Prefix);
        w.WriteString("scope", ScopeNames.Format(key.Scopes));
        w.WriteString("status", key.RevokedAt is not null ? "revoked" : key.ExpiresAt <= now ? "expired" : "active");
        ApiJson.WriteTime(w, "created_at", key.CreatedAt);
        ApiJson.WriteTime(w, "expires_at", key.ExpiresAt);
        ApiJson.WriteTime(w, "revoked_at", key.RevokedAt);
        ApiJson.WriteTime(w, "last_used_at", key.LastUsedAt);
        if (key.UserId is null) w.WriteNull("user_id"); else w.WriteString("user_id", key.UserId);
        if (key.UserName is null) w.WriteNull("user_name"); else w.WriteString("user_name", key.UserName);
    }


    sealed record KeyRequest(Scopes Scopes, DateTime? ExpiresAt, string? User = null);

    static async Task<(KeyRequest Request, CrmError? Problem)> ReadRequestAsync(HttpContext http, CancellationToken ct)
    {
        var fallback = new KeyRequest(Scopes.Read | Scopes.Write, null);
        const string Example = "{\"scope\": \"read\", \"expires_at\": \"2027-01-01T00:00:00Z\", \"user\": \"sarah@acme.com\"}";
        if (http.Request.ContentLength == 0) return (fallback, null);
        JsonDocument body;
        try
        {
            body = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: ct);
        }
        catch (JsonException)
        {
            return (fallback, new CrmError(ErrorCodes.InvalidArgument, $"The body must be JSON like {Example} (both optional)."));
        }
        using (body)
        {
            var root = body.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return (fallback, new CrmError(ErrorCodes.InvalidArgument, $"The body must be a JSON object like {Example}."));
            var scopes = fallback.Scopes;
            if (root.TryGetProperty("scope", out var scope) && scope.ValueKind != JsonValueKind.Null
                && (scope.ValueKind != JsonValueKind.String || !ScopeNames.TryParse(scope.GetString(), out scopes)))
                return (fallback, new CrmError(ErrorCodes.InvalidFieldValue, $"scope {scope.GetRawText()} is not read, write or admin.", "scope"));
            DateTime? expiresAt = null;
            if (root.TryGetProperty("expires_at", out var expires) && expires.ValueKind != JsonValueKind.Null)
            {
                if (expires.ValueKind != JsonValueKind.String || !DateTime.TryParse(expires.GetString(), CultureInfo.InvariantCulture,
                        DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at))
                    return (fallback, new CrmError(ErrorCodes.InvalidFieldValue, $"expires_at {expires.GetRawText()} is not a time; send ISO 8601 UTC, e.g. \"2027-01-01T00:00:00Z\".", "expires_at"));
                expiresAt = at;
            }
            string? user = null;
            if (root.TryGetProperty("user", out var named) && named.ValueKind != JsonValueKind.Null)
            {
                if (named.ValueKind != JsonValueKind.String)
                    return (fallback, new CrmError(ErrorCodes.InvalidFieldValue, $"user {named.GetRawText()} is not text; send the user's email, username or User Id (005…).", "user"));
                user = named.GetString();
            }
            foreach (var property in root.EnumerateObject())
                if (property.Name is not ("scope" or "expires_at" or "user"))
                    return (fallback, new CrmError(ErrorCodes.InvalidArgument, $"'{property.Name}' is not a key setting; send only scope, expires_at and user, e.g. {Example}.", property.Name));
            return (new KeyRequest(scopes, expiresAt, user), null);
        }
    }
}
