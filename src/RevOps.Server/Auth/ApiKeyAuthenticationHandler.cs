using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using RevOps.Domain.Tenancy;
using RevOps.Server.Hosting;

namespace RevOps.Server.Auth;

/// <summary>
/// Authorization: Bearer &lt;API key&gt; becomes a principal carrying the key's tenant, id and
/// scopes. X-Tenant-ID is honoured only when the server runs with --dev. Anything else is a
/// 401 with WWW-Authenticate: Bearer; this handler also answers for refused JWTs, saying why.
/// </summary>
public sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    TenantService tenants,
    Domain.Users.UserService users,
    RevOpsOptions settings) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? authorization = Request.Headers.Authorization;
        if (!string.IsNullOrEmpty(authorization))
        {
            if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                return AuthenticateResult.Fail("Only Bearer credentials are accepted.");
            var secret = authorization.AsSpan("Bearer ".Length).Trim();
            // A key seen within the last second is answered from the cache, without a string or a state machine per request.
            var caller = tenants.TryAuthenticateCached(secret, CallerResolver.McpChannel, out var cached)
                ? cached
                : await tenants.AuthenticateAsync(secret.ToString(), CallerResolver.McpChannel, Context.RequestAborted);
            return caller is null
                ? AuthenticateResult.Fail("Unknown, revoked or expired API key, or its user is deactivated.")
                : ResultOf(caller);
        }

        if (settings.Dev && Request.Headers.TryGetValue("X-Tenant-ID", out var header) && TenantId.TryParse(header, out var tenant)
            && await users.LocalCallerAsync(tenant, Scopes.Read | Scopes.Write | Scopes.Admin, CallerResolver.McpChannel, Context.RequestAborted) is { } devCaller)
        {
            return AuthenticateResult.Success(new AuthenticationTicket(CallerClaims.ToPrincipal(devCaller, SchemeName), SchemeName));
        }
        return AuthenticateResult.NoResult();
    }

    /// <summary>
    /// The authentication result (and principal) of a key's caller, made once per caller: the key cache hands out one caller per cached key (a new
    /// one after the entry expires or the key is revoked), and the key's activity is checked before it does, so sharing
    /// the principal among that key's requests grants nothing the key would not. Nothing adds claims or identities to
    /// a request's principal or items to its ticket; they are read only. <see cref="CachedKeyAuthentication"/> hands out the same result.
    /// </summary>
    internal static AuthenticateResult ResultOf(Caller caller) =>
        Results.GetValue(caller, static c => AuthenticateResult.Success(new AuthenticationTicket(CallerClaims.ToPrincipal(c, SchemeName), SchemeName)));

    static readonly ConditionalWeakTable<Caller, AuthenticateResult> Results = new();

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        bool presented = !string.IsNullOrEmpty(Request.Headers.Authorization);
        if (Request.Path.StartsWithSegments("/services") || Request.Path.StartsWithSegments("/id"))
        {
            // Salesforce clients read errorCode from a JSON array; the empty 401 body is filled in by the REST error middleware.
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Response.Headers.WWWAuthenticate = "Bearer";
            return;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        string metadata = $"resource_metadata=\"{ProtectedResourceMetadata.Url(Request)}\"";
        Response.Headers.WWWAuthenticate = presented ? $"Bearer error=\"invalid_token\", {metadata}" : $"Bearer {metadata}";
        Response.ContentType = "application/json";
        string message = !presented
            ? "Authentication required. Send Authorization: Bearer <API key> (keys start with revops_live_)" + (settings.Jwt is null ? "." : " or a JWT from the configured issuer.")
            : Context.Items[BearerAuthentication.RefusalItem] is string refusal
                ? $"The bearer token was refused: {refusal}"
                : BearerAuthentication.LooksLikeJwt(Request.Headers.Authorization) && settings.Jwt is null
                    ? "This server accepts no JWTs (no issuer is configured). Send Authorization: Bearer <API key> instead."
                    : "The API key is unknown, revoked or expired, or its user is deactivated. Send Authorization: Bearer <API key> with a valid key (an admin can list keys and users with GET /api/keys and GET /api/users).";
        await Response.WriteAsJsonAsync(new Json.ErrorBody("unauthorized", message), Json.ServerJson.Default.ErrorBody, cancellationToken: Context.RequestAborted);
    }
}
