using System.Security.Claims;
using RevOps.Domain.Tenancy;

namespace RevOps.Server.Auth;

/// <summary>The claims that carry a <see cref="Caller"/> through ASP.NET's principal.</summary>
public static class CallerClaims
{
    public const string Tenant = "revops:tenant";
    public const string Actor = "revops:actor";
    public const string Scopes = "revops:scopes";
    public const string ActorName = "revops:actor_name";
    public const string Key = "revops:key";

    public static ClaimsPrincipal ToPrincipal(Caller caller, string scheme)
    {
        var claims = new List<Claim>
        {
            new(Tenant, caller.Tenant.ToString()),
            new(Actor, caller.ActorId),
            new(Scopes, ((int)caller.Scopes).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        if (caller.ActorName is not null) claims.Add(new Claim(ActorName, caller.ActorName));
        if (caller.KeyId is not null) claims.Add(new Claim(Key, caller.KeyId));
        return new CallerPrincipal(caller.RequestId is null ? caller : caller with { RequestId = null }, new ClaimsIdentity(claims, scheme));
    }

    public static Caller? FromPrincipal(ClaimsPrincipal? principal, string channel)
    {
        // Made here from a caller: that caller, instead of parsing its claims back (twice or more per request).
        if (principal is CallerPrincipal { Caller: var known }) return known.Channel == channel ? known : known with { Channel = channel };
        if (principal is null || !TenantId.TryParse(principal.FindFirstValue(Tenant), out var tenant)) return null;
        if (principal.FindFirstValue(Actor) is not { } actor) return null;
        if (!int.TryParse(principal.FindFirstValue(Scopes), out int scopes)) return null;
        return new Caller(tenant, actor, (Domain.Tenancy.Scopes)scopes, channel)
        {
            ActorName = principal.FindFirstValue(ActorName),
            KeyId = principal.FindFirstValue(Key),
        };
    }
}

/// <summary>A principal made by <see cref="CallerClaims.ToPrincipal"/>, which keeps the (immutable) caller its claims say.</summary>
public sealed class CallerPrincipal(Caller caller, ClaimsIdentity identity) : ClaimsPrincipal(identity)
{
    public Caller Caller { get; } = caller;
}
