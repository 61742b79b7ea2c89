using RevOps.Domain.Errors;
using RevOps.Domain.Tenancy;
using RevOps.Server.Json;

namespace RevOps.Server.Auth;

/// <summary>The caller of an /api endpoint, with the request id its audit rows carry.</summary>
public static class ApiCaller
{
    public const string Channel = "api";

    /// <summary>The caller, whose key is marked used (for last_used_at) though /api calls are not billed.</summary>
    public static Caller? Of(HttpContext http)
    {
        if (CallerClaims.FromPrincipal(http.User, Channel) is not { } caller) return null;
        http.RequestServices.GetRequiredService<Usage.UsageMeter>().MarkUsed(caller.KeyId);
        return caller with { RequestId = http.TraceIdentifier };
    }

    /// <summary>The authenticated caller when its key has the admin scope, or the 403 that says what is missing.</summary>
    public static (Caller? Caller, IResult? Refusal) Admin(HttpContext http, string what)
    {
        var caller = Of(http) ?? throw new InvalidOperationException("/api endpoints that need admin run behind RequireAuthorization.");
        return caller.IsAdmin
            ? (caller, null)
            : (null, ApiJson.Error(new CrmError(ErrorCodes.InsufficientAccess,
                $"{what} needs an API key with the admin scope; this key has the {ScopeNames.Format(caller.Scopes)} scope. Use the tenant's admin key.")));
    }
}
