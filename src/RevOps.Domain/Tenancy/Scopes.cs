namespace RevOps.Domain.Tenancy;

/// <summary>What a key may do. Admin implies write, write implies read.</summary>
[Flags]
public enum Scopes
{
    None = 0,
    Read = 1,
    Write = 2,
    Admin = 4,
}

public static class ScopeNames
{
    public static bool TryParse(string? text, out Scopes scopes)
    {
        scopes = (text ?? "").Trim().ToLowerInvariant() switch
        {
            "read" => Scopes.Read,
            "write" => Scopes.Read | Scopes.Write,
            "admin" => Scopes.Read | Scopes.Write | Scopes.Admin,
            _ => Scopes.None,
        };
        return scopes != Scopes.None;
    }

    /// <summary>The single word that stands for a scope set: its highest scope.</summary>
    public static string Format(Scopes scopes) =>
        scopes.HasFlag(Scopes.Admin) ? "admin" : scopes.HasFlag(Scopes.Write) ? "write" : "read";
}
