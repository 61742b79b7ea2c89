using System.Security.Cryptography;
using System.Text;

namespace RevOps.Domain.Tenancy;

/// <summary>Makes key secrets and the hashes we store in their place.</summary>
public static class ApiKeySecrets
{
    public const string Prefix = "revops_live_";
    const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    const int RandomLength = 40; // 40 base62 characters: ~238 bits.

    public static string NewSecret() => Prefix + RandomNumberGenerator.GetString(Base62, RandomLength);

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>The part of a secret safe to show in listings, to tell keys apart.</summary>
    public static string DisplayPrefix(string secret) => secret[..Math.Min(secret.Length, Prefix.Length + 6)];
}
