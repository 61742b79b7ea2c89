using System.Security.Claims;
using RevOps.Domain.Users;
using RevOps.Domain.Tenancy;

namespace RevOps.Server.Auth;

/// <summary>
/// The caller a verified JWT stands for: its `tenant` claim names an existing tenant, its
/// `scope` (space-separated) or `scp` claims grant read, write or admin, and its `sub` is the
/// Username of an active user of that tenant, who is the actor written to CreatedById and the change log.
/// </summary>
public static class JwtCaller
{
    public sealed record Outcome(Caller? Caller, string? Refusal);

    public static async Task<Outcome> FromClaimsAsync(ClaimsPrincipal principal, string issuer, ITenantStore tenants, UserService users, CancellationToken ct)
    {
        if (!TenantId.TryParse(principal.FindFirstValue(BearerAuthentication.TenantClaim), out var tenant))
            return new(null, $"the token has no '{BearerAuthentication.TenantClaim}' claim with a tenant id.");
        if (await tenants.GetAsync(tenant, ct) is null) return new(null, "the token's tenant does not exist.");
        if (principal.FindFirstValue("sub") is not { Length: > 0 } subject) return new(null, "the token has no subject (sub).");
        var scopes = Scopes.None;
        foreach (var claim in principal.FindAll("scope").Concat(principal.FindAll("scp")))
            foreach (string word in claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                if (ScopeNames.TryParse(word, out var granted)) scopes |= granted;
        if (scopes == Scopes.None) return new(null, "the token grants none of the scopes read, write or admin (scope claim).");
        if (await users.ForSubjectAsync(tenant, subject, needAdminFlag: scopes.HasFlag(Scopes.Admin), ct) is not { } user)
            return new(null, $"the token's subject (sub) '{Clip(subject)}' is not the Username of an active user of this tenant; create the user (revops user create --email …) or send a token whose sub is a user's Username.");
        if (scopes.HasFlag(Scopes.Admin) && !user.IsAdmin) scopes &= ~Scopes.Admin;
        return new(new Caller(tenant, user.Id, scopes, CallerResolver.McpChannel) { ActorName = user.Name }, null);
    }

    static string Clip(string text) => text.Length > 80 ? text[..80] + "…" : text;
}
