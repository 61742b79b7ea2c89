using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.Extensions.Options;
using RevOps.Domain.Tenancy;

namespace RevOps.Server.Auth;

/// <summary>
/// ASP.NET's authentication and authorization middleware, with one shortcut each for the commonest request: a
/// bearer API key found in the key cache (<see cref="TenantService.TryAuthenticateCached"/>, which checks the key's
/// revocation, expiry and user on every call, exactly as <see cref="ApiKeyAuthenticationHandler"/> does first).
/// Such a request gets the same principal and authenticate result the handler would give, without the
/// authentication service, the policy scheme's forwarding, two handler instances and their results; an endpoint
/// whose only requirement is an authenticated user (<c>RequireAuthorization()</c> with the default policy) then
/// lets it through without the policy evaluator. Anything else (no header, a JWT, a key not cached or refused,
/// X-Tenant-ID in dev mode, endpoints with roles, policies or schemes) goes through the framework's middleware
/// unchanged, which also answers every refusal.
/// </summary>
public static class CachedKeyAuthentication
{
    // The framework's own markers: that authentication/authorization are in the pipeline (so the host adds none), and
    // that authorization ran for the endpoint (the endpoint middleware refuses to run an [Authorize] endpoint otherwise).
    const string AuthenticationSetKey = "__AuthenticationMiddlewareSet";
    const string AuthorizationSetKey = "__AuthorizationMiddlewareSet";
    const string AuthorizationRanKey = "__AuthorizationMiddlewareWithEndpointInvoked";
    static readonly object AuthorizationRan = new();

    /// <summary>In place of <c>UseAuthentication()</c>.</summary>
    public static IApplicationBuilder UseRevOpsAuthentication(this IApplicationBuilder app, JwtIssuer? jwt)
    {
        app.Properties[AuthenticationSetKey] = true;
        var services = app.ApplicationServices;
        var schemes = services.GetRequiredService<IAuthenticationSchemeProvider>();
        var tenants = services.GetRequiredService<TenantService>();
        // The shortcut stands for the API-key handler only where the framework would ask it: the default scheme is the
        // bearer policy scheme, and no scheme handles requests itself (remote sign-in callbacks).
        bool shortcut = schemes.GetDefaultAuthenticateSchemeAsync().GetAwaiter().GetResult()?.Name == BearerAuthentication.SchemeName
            && !schemes.GetRequestHandlerSchemesAsync().GetAwaiter().GetResult().Any();
        return app.Use(next =>
        {
            RequestDelegate standard = new AuthenticationMiddleware(next, schemes).Invoke;
            if (!shortcut) return standard;
            return http =>
            {
                if (Cached(http, tenants, jwt) is not { } caller) return standard(http);
                var features = new KeyFeatures(ApiKeyAuthenticationHandler.ResultOf(caller));
                http.Features.Set<IHttpAuthenticationFeature>(features);
                http.Features.Set<IAuthenticateResultFeature>(features);
                return next(http);
            };
        });
    }

    /// <summary>In place of <c>UseAuthorization()</c>.</summary>
    public static IApplicationBuilder UseRevOpsAuthorization(this IApplicationBuilder app)
    {
        app.Properties[AuthorizationSetKey] = true;
        var services = app.ApplicationServices;
        var options = services.GetRequiredService<IOptions<AuthorizationOptions>>().Value;
        // The shortcut decides only what the default policy decides: an authenticated user, nothing more, and only
        // when the policies come from the framework's provider (a custom one may answer differently).
        bool shortcut = services.GetRequiredService<IAuthorizationPolicyProvider>().GetType() == typeof(DefaultAuthorizationPolicyProvider)
            && options.DefaultPolicy is { AuthenticationSchemes.Count: 0, Requirements: [DenyAnonymousAuthorizationRequirement] };
        var plain = new System.Runtime.CompilerServices.ConditionalWeakTable<Endpoint, object>();
        return app.Use(next =>
        {
            RequestDelegate standard = ActivatorUtilities.CreateInstance<AuthorizationMiddleware>(services, next).Invoke;
            if (!shortcut) return standard;
            return http =>
            {
                if (http.Features.Get<IAuthenticateResultFeature>() is not KeyFeatures { FromKey: true }
                    || http.GetEndpoint() is not { } endpoint
                    || plain.GetValue(endpoint, static e => NeedsOnlyAnAuthenticatedUser(e) ? True : False) != True)
                    return standard(http);
                http.Items[AuthorizationRanKey] = AuthorizationRan;
                return next(http);
            };
        });
    }

    static readonly object True = new(), False = new();

    /// <summary><c>RequireAuthorization()</c> / <c>[Authorize]</c> without a policy, roles or schemes, and nothing else about authorization.</summary>
    static bool NeedsOnlyAnAuthenticatedUser(Endpoint endpoint)
    {
        var metadata = endpoint.Metadata;
        if (metadata.GetMetadata<IAllowAnonymous>() is not null || metadata.GetMetadata<AuthorizationPolicy>() is not null
            || metadata.GetMetadata<IAuthorizationRequirementData>() is not null)
            return false;
        var data = metadata.GetOrderedMetadata<IAuthorizeData>();
        return data.Count > 0 && data.All(d => d.Policy is null && d.Roles is null && d.AuthenticationSchemes is null);
    }

    /// <summary>The caller of a cached, active API key in a lone Bearer header, as the handler would find it; null for anything else.</summary>
    static Caller? Cached(HttpContext http, TenantService tenants, JwtIssuer? jwt)
    {
        var header = http.Request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } authorization || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
        if (jwt is not null && BearerAuthentication.LooksLikeJwt(authorization)) return null;
        return tenants.TryAuthenticateCached(authorization.AsSpan("Bearer ".Length).Trim(), CallerResolver.McpChannel, out var caller) ? caller : null;
    }

    /// <summary>
    /// Per request, as the framework's own features object: the user and the authenticate result, each replacing the
    /// other when set. <see cref="FromKey"/> stays true only while the user is the key's.
    /// </summary>
    sealed class KeyFeatures(AuthenticateResult result) : IHttpAuthenticationFeature, IAuthenticateResultFeature
    {
        AuthenticateResult? _result = result;
        ClaimsPrincipal? _user = result.Principal;

        public bool FromKey { get; private set; } = true;

        public AuthenticateResult? AuthenticateResult
        {
            get => _result;
            set
            {
                FromKey &= ReferenceEquals(value, _result);
                _result = value;
                _user = value?.Principal;
            }
        }

        public ClaimsPrincipal? User
        {
            get => _user;
            set
            {
                FromKey &= ReferenceEquals(value, _user);
                _user = value;
                _result = null;
            }
        }
    }
}
