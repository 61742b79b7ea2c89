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

    public static string Hash(string secret)
    {
        Span<char> hex = stackalloc char[HashLength];
        Hash(secret, hex);
        return new string(hex);
    }

    /// <summary>Characters in a hash: SHA-256 in lowercase hex.</summary>
    public const int HashLength = 64;

    /// <summary>The hash of <paramref name="secret"/> written into <paramref name="hex"/> (<see cref="HashLength"/> characters), allocating nothing for a secret of usual length.</summary>
    public static void Hash(ReadOnlySpan<char> secret, Span<char> hex)
    {
        const int StackBytes = 512;
        int max = Encoding.UTF8.GetMaxByteCount(secret.Length);
        byte[]? rented = max > StackBytes ? System.Buffers.ArrayPool<byte>.Shared.Rent(max) : null;
        Span<byte> utf8 = rented ?? stackalloc byte[StackBytes];
        int length = Encoding.UTF8.GetBytes(secret, utf8);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], digest);
        if (rented is not null) System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        Convert.TryToHexStringLower(digest, hex, out _);
    }

    /// <summary>The part of a secret safe to show in listings, to tell keys apart.</summary>
    public static string DisplayPrefix(string secret) => secret[..Math.Min(secret.Length, Prefix.Length + 6)];
}
