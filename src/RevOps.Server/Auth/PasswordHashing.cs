using Microsoft.AspNetCore.Identity;
using RevOps.Domain.Users;

namespace RevOps.Server.Auth;

/// <summary>Passwords hashed with ASP.NET Core Identity's PasswordHasher (PBKDF2, salted, versioned), so the console can check them later.</summary>
public sealed class PasswordHashing : IPasswordHashing
{
    static readonly PasswordHasher<string> Hasher = new();

    // The hasher's "user" argument is unused by its default implementation; the username would add nothing.
    public string Hash(string password) => Hasher.HashPassword("", password);

    public bool Verify(string hash, string password) => Hasher.VerifyHashedPassword("", hash, password) is not PasswordVerificationResult.Failed;
}
