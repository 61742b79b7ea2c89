using System.Diagnostics;
using Npgsql;

namespace RevOps.Cli.Commands;

/// <summary>
/// revops backup on PostgreSQL: pg_dump --format=custom, the tool made for it, run with the connection
/// in PG* environment variables taken from the Npgsql connection string, so the password never shows
/// on a command line (where ps would show it to every user of the machine).
/// </summary>
internal static class PgDump
{
    public sealed record Outcome(int ExitCode, string StdErr);

    /// <summary>The pg_dump to run: the given path, else the first on PATH; null when there is none.</summary>
    public static string? Find(string? given)
    {
        if (!string.IsNullOrEmpty(given)) return File.Exists(given) ? given : null;
        foreach (var directory in (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, OperatingSystem.IsWindows() ? "pg_dump.exe" : "pg_dump");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, PGSSLMODE… for what the connection string sets.</summary>
    public static Dictionary<string, string> Variables(string connectionString, bool includePassword)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        void Set(string name, string? value) { if (!string.IsNullOrEmpty(value)) variables[name] = value; }
        Set("PGHOST", builder.Host);
        Set("PGPORT", builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Set("PGDATABASE", builder.Database);
        Set("PGUSER", builder.Username);
        if (includePassword) Set("PGPASSWORD", builder.Password);
        Set("PGPASSFILE", builder.Passfile);
        Set("PGSSLMODE", builder.SslMode switch
        {
            Npgsql.SslMode.Disable => "disable",
            Npgsql.SslMode.Allow => "allow",
            Npgsql.SslMode.Require => "require",
            Npgsql.SslMode.VerifyCA => "verify-ca",
            Npgsql.SslMode.VerifyFull => "verify-full",
            _ => null, // Prefer is pg_dump's default too
        });
        Set("PGAPPNAME", "revops backup");
        return variables;
    }

    /// <summary>The command an operator can paste: the variables (no password) and pg_dump's arguments.</summary>
    public static string CommandLine(string connectionString, string outPath) =>
        string.Join(' ', Variables(connectionString, includePassword: false).Where(v => v.Key != "PGAPPNAME").Select(v => $"{v.Key}={Quote(v.Value)}"))
        + $" pg_dump --format=custom --file={Quote(outPath)}";

    public static async Task<Outcome> RunAsync(string pgDump, string connectionString, string outPath, CancellationToken ct)
    {
        var start = new ProcessStartInfo(pgDump) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in (string[])["--format=custom", "--no-password", $"--file={outPath}"]) start.ArgumentList.Add(arg);
        foreach (var (name, value) in Variables(connectionString, includePassword: true)) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(ct);
        _ = process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return new Outcome(process.ExitCode, (await stderr).Trim());
    }

    static string Quote(string value) =>
        value.All(c => char.IsLetterOrDigit(c) || c is '.' or '/' or '-' or '_' or ':' or '=') ? value : "'" + value.Replace("'", "'\\''") + "'";
}
