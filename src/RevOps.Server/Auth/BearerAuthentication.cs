using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using RevOps.Domain.Tenancy;

namespace RevOps.Server.Auth;

/// <summary>
/// One bearer scheme in front of two verifiers: a token shaped like a JWT goes to JwtBearer
/// (only when an issuer is configured), anything else to the API-key handler. Both end in the
/// same principal (tenant, actor, scopes), and every refusal is answered by the API-key
/// handler's challenge so clients see one 401 format.
/// </summary>
public static class BearerAuthentication
{
    public const string SchemeName = "Bearer";
    const string JwtScheme = "Jwt";
    /// <summary>Why a JWT was refused, for the challenge to tell the caller.</summary>
    public const string RefusalItem = "revops:token-refusal";
    public const string TenantClaim = "tenant";

    public static void AddRevOpsAuthentication(this IServiceCollection services, JwtIssuer? jwt)
    {
        var auth = services.AddAuthentication(SchemeName)
            .AddPolicyScheme(SchemeName, "API key or JWT", options =>
            {
                options.ForwardDefaultSelector = http => jwt is not null && LooksLikeJwt(http.Request.Headers.Authorization) ? JwtScheme : ApiKeyAuthenticationHandler.SchemeName;
                options.ForwardChallenge = ApiKeyAuthenticationHandler.SchemeName;
                options.ForwardForbid = ApiKeyAuthenticationHandler.SchemeName;
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        if (jwt is null) return;
        auth.AddJwtBearer(JwtScheme, options =>
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = jwt.Issuer,
                ValidAudience = jwt.Audience,
                IssuerSigningKeys = jwt.SigningKeys(),
                ValidAlgorithms = jwt.Algorithms(),
                RequireSignedTokens = true,
                RequireExpirationTime = true,
                ValidateIssuerSigningKey = true,
                ClockSkew = TimeSpan.FromSeconds(30),
            };
            options.Events = new JwtBearerEvents
            {
                OnAuthenticationFailed = context =>
                {
                    context.HttpContext.Items[RefusalItem] = IsUnsigned(context.Request.Headers.Authorization)
                        ? "the token is unsigned (alg: none); only signed tokens are accepted."
                        : Refusal(context.Exception);
                    return Task.CompletedTask;
                },
                OnTokenValidated = async context =>
                {
                    var caller = await JwtCaller.FromClaimsAsync(context.Principal!, jwt.Issuer,
                        context.HttpContext.RequestServices.GetRequiredService<ITenantStore>(),
                        context.HttpContext.RequestServices.GetRequiredService<Domain.Users.UserService>(), context.HttpContext.RequestAborted);
                    if (caller.Refusal is { } refusal)
                    {
                        context.HttpContext.Items[RefusalItem] = refusal;
                        context.Fail(refusal);
                        return;
                    }
                    context.Principal = CallerClaims.ToPrincipal(caller.Caller!, JwtScheme);
                },
            };
        });
    }

    /// <summary>Three base64url segments, the first a JSON header: API keys never look like that.</summary>
    public static bool LooksLikeJwt(string? authorization) =>
        authorization is not null && authorization.StartsWith("Bearer eyJ", StringComparison.OrdinalIgnoreCase) && authorization.Count(c => c == '.') == 2;

    static bool IsUnsigned(string? authorization)
    {
        var reader = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler();
        string token = authorization?["Bearer ".Length..].Trim() ?? "";
        return reader.CanReadToken(token) && string.Equals(reader.ReadJsonWebToken(token).Alg, "none", StringComparison.OrdinalIgnoreCase);
    }

    static string Refusal(Exception error) => error switch
    {
        SecurityTokenExpiredException => "the token has expired; get a new one from your issuer.",
        SecurityTokenNotYetValidException => "the token is not valid yet (nbf is in the future).",
        SecurityTokenInvalidAudienceException => "the token's audience (aud) is not this server.",
        SecurityTokenInvalidIssuerException => "the token's issuer (iss) is not trusted by this server.",
        SecurityTokenInvalidAlgorithmException => "the token's signing algorithm is not accepted.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "the token's signature does not verify.",
        SecurityTokenNoExpirationException => "the token has no expiry (exp); tokens must expire.",
        _ => "the token is malformed or unsigned.",
    };
}
