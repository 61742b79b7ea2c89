using System.Security.Claims;
using RevOps.Domain.Tenancy;

namespace RevOps.Server.Auth;

/// <summary>The claims that carry a <see cref="Caller"/> through ASP.NET's principal.</summary>
public static class CallerClaims
{
    public const string Tenant = "revops:tenant";
    public const string Actor = "revops:actor";
    public const string Scopes = "revops:scopes";

    public static ClaimsPrincipal ToPrincipal(Caller caller, string scheme) =>
        new(new ClaimsIdentity(
        [
            new Claim(Tenant, caller.Tenant.ToString()),
            new Claim(Actor, caller.ActorId),
            new Claim(Scopes, ((int)caller.Scopes).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ], scheme));

    public static Caller? FromPrincipal(ClaimsPrincipal? principal, string channel)
    {
        if (principal is null || !TenantId.TryParse(principal.FindFirstValue(Tenant), out var tenant)) return null;
        if (principal.FindFirstValue(Actor) is not { } actor) return null;
        if (!int.TryParse(principal.FindFirstValue(Scopes), out int scopes)) return null;
        return new Caller(tenant, actor, (Domain.Tenancy.Scopes)scopes, channel);
    }
}
