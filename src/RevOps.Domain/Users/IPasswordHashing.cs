namespace RevOps.Domain.Users;

/// <summary>Hashes and checks passwords (the host supplies ASP.NET Core's PasswordHasher).</summary>
public interface IPasswordHashing
{
    string Hash(string password);

    bool Verify(string hash, string password);
}
