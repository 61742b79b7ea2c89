using System.Security.Claims;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Users;
using RevOps.Server.Auth;

namespace RevOps.Server.Console;

/// <summary>
/// The signed-in user as a <see cref="Caller"/> (channel "console"): the cookie carries the same claims as an API
/// key's principal, so every page goes through the domain's scopes and tenant walls like the APIs.
/// </summary>
public static class ConsoleUser
{
    public const string Channel = "console";

    public static Caller? Of(HttpContext http) => CallerClaims.FromPrincipal(http.User, Channel) is { } caller
        ? caller with { RequestId = http.TraceIdentifier }
        : null;

    /// <summary>Admins act with every scope; other users read and write.</summary>
    public static ClaimsPrincipal Principal(SignedIn signedIn)
    {
        var scopes = signedIn.User.IsAdmin ? Scopes.Read | Scopes.Write | Scopes.Admin : Scopes.Read | Scopes.Write;
        return CallerClaims.ToPrincipal(new Caller(signedIn.Tenant, signedIn.User.Id, scopes, Channel) { ActorName = signedIn.User.Name }, ConsoleAuthentication.Scheme);
    }
}
