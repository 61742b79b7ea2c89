using Microsoft.AspNetCore.Authentication.Cookies;

namespace RevOps.Server.Console;

/// <summary>
/// The operator's console session: a cookie apart from the tenant users' (its own name, scheme, path and policy),
/// protected by the same database key ring, shorter-lived, and carrying no tenant, so it can open nothing but
/// the operator pages.
/// </summary>
public static class OperatorAuthentication
{
    public const string Scheme = "ConsoleOperator";
    public const string Policy = "ConsoleOperator";
    public const string CookieName = "revops.operator";
    public const string Role = "revops-operator";

    public static IServiceCollection AddRevOpsOperatorConsole(this IServiceCollection services)
    {
        services.AddAuthentication().AddCookie(Scheme, options =>
        {
            options.Cookie.Name = CookieName;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.Cookie.Path = OperatorPages.Root;
            options.LoginPath = OperatorPages.Root + "/sign-in";
            options.AccessDeniedPath = OperatorPages.Root + "/sign-in";
            options.ExpireTimeSpan = TimeSpan.FromHours(1);
            options.SlidingExpiration = true;
        });
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireRole(Role));
        services.AddSingleton<OperatorSignInGuard>();
        return services;
    }
}
