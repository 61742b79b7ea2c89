using System.Security.Cryptography;
using System.Text;

namespace RevOps.Server.Auth;

/// <summary>The operator's token, compared in constant time.</summary>
public sealed class AdminToken(string token)
{
    readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public bool Matches(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return false;
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(authorization["Bearer ".Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, _expected);
    }
}
