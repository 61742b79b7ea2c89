using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Users;
using RevOps.Server.Auth;

namespace RevOps.Server.Console;

/// <summary>
/// The console's sign-in: a cookie (HttpOnly, SameSite=Strict, Secure over HTTPS) holding the user's claims,
/// protected by a key ring kept in the database (any node reads any node's cookie; nothing of a session lives in
/// one process), checked on every request against the user's record so a deactivated user is out at once.
/// </summary>
public static class ConsoleAuthentication
{
    public const string Scheme = "Console";
    public const string Policy = "Console";
    public const string CookieName = "revops.console";
    public const string AntiforgeryCookieName = "revops.console.af";

    public static IServiceCollection AddRevOpsConsole(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("revops-console");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(options =>
            options.XmlRepository = new KeyRingXmlRepository(sp.GetRequiredService<IKeyRingStore>(), sp.GetRequiredService<TimeProvider>())));
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = AntiforgeryCookieName;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.Cookie.Path = ConsoleLayout.Root;
        });
        services.AddAuthentication().AddCookie(Scheme, options =>
        {
            options.Cookie.Name = CookieName;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.Cookie.Path = ConsoleLayout.Root;
            options.LoginPath = ConsoleLayout.Root + "/sign-in";
            options.LogoutPath = ConsoleLayout.Root + "/sign-out";
            options.AccessDeniedPath = ConsoleLayout.Root + "/sign-in";
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
            options.Events.OnValidatePrincipal = StillActiveAsync;
        });
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser());
        services.AddSingleton<Imports.BackgroundImports>();
        return services.AddRevOpsOperatorConsole();
    }

    static async Task StillActiveAsync(CookieValidatePrincipalContext context)
    {
        var caller = CallerClaims.FromPrincipal(context.Principal, ConsoleUser.Channel);
        var signIns = context.HttpContext.RequestServices.GetRequiredService<SignInService>();
        if (caller is null || await signIns.StillActiveAsync(caller.Tenant, caller.ActorId, context.HttpContext.RequestAborted) is not { } user
            || user.IsAdmin != caller.Scopes.HasFlag(Scopes.Admin))
        {
            // Deactivated, deleted, or promoted/demoted since: sign in again to get what the record says now.
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
        }
    }
}
