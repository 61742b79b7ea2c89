using System.Security.Cryptography;

namespace RevOps.Server.Hosting;

/// <summary>
/// The operator's admin token when none is configured: generated on first start, kept in the
/// data directory readable by the owner only, and shown only that once.
/// </summary>
public static class AdminTokenFile
{
    public const string FileName = "admin-token";
    const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public sealed record Resolved(string Token, bool Generated, string? Path);

    public static Resolved Resolve(string? configured, string dataDirectory)
    {
        if (!string.IsNullOrWhiteSpace(configured)) return new Resolved(configured.Trim(), false, null);
        string path = System.IO.Path.Combine(dataDirectory, FileName);
        if (File.Exists(path)) return new Resolved(File.ReadAllText(path).Trim(), false, path);

        Directory.CreateDirectory(dataDirectory);
        string token = "revops_admin_" + RandomNumberGenerator.GetString(Base62, 40);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(path, options)) writer.Write(token);
        return new Resolved(token, true, path);
    }
}
