using System.Diagnostics;
using System.Text.RegularExpressions;

namespace RevOps.Server.Tests.Files;

/// <summary>
/// A real S3-compatible server (the npm package s3rver, locked in tests/s3) on a free loopback port, with one bucket, its
/// objects in a temporary folder. Installed with `npm ci` on first use when tests/s3/node_modules lacks it (as tests/clients does).
/// </summary>
public sealed partial class S3rver : IAsyncDisposable
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";
    static readonly SemaphoreSlim Install = new(1, 1);

    readonly Process _process;
    public string Folder { get; }
    public string Bucket { get; }
    public Uri Endpoint { get; }

    S3rver(Process process, string folder, string bucket, Uri endpoint) => (_process, Folder, Bucket, Endpoint) = (process, folder, bucket, endpoint);

    /// <summary>What <c>--files</c> takes to use this server.</summary>
    public string FilesUrl(string prefix = "") =>
        $"s3://{Bucket}?endpoint={Uri.EscapeDataString(Endpoint.GetLeftPart(UriPartial.Authority))}&region=us-east-1" + (prefix.Length > 0 ? "&prefix=" + prefix : "");

    /// <summary>The environment that gives a server this store's keys.</summary>
    public static Dictionary<string, string> Credentials() => new() { ["AWS_ACCESS_KEY_ID"] = AccessKey, ["AWS_SECRET_ACCESS_KEY"] = SecretKey };

    /// <summary>The objects stored under <paramref name="keyPrefix"/> (s3rver keeps each object as a file named after its key's last part, plus metadata files).</summary>
    public IReadOnlyList<string> ObjectNames(string keyPrefix)
    {
        string root = Path.Combine(Folder, Bucket, keyPrefix.Replace('/', Path.DirectorySeparatorChar));
        return Directory.Exists(root)
            ? Directory.EnumerateFiles(root, "*._S3rver_object", SearchOption.AllDirectories).Select(f => Path.GetFileName(f)[..^"._S3rver_object".Length]).Order().ToList()
            : [];
    }

    public static async Task<S3rver> StartAsync(string bucket = "revops-files")
    {
        string fixture = Path.Combine(RepositoryRoot(), "tests", "s3");
        string script = Path.Combine(fixture, "node_modules", "s3rver", "bin", "s3rver.js");
        await Install.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (!File.Exists(script)) await NpmCiAsync(fixture);
        }
        finally { Install.Release(); }
        string folder = Path.Combine(Path.GetTempPath(), "revops-s3rver-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = fixture };
        foreach (string arg in (string[])[script, "-d", folder, "-a", "127.0.0.1", "-p", "0", "--no-vhost-buckets", "--configure-bucket", bucket])
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        var ready = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is { } text && Listening().Match(text) is { Success: true } m) ready.TrySetResult(new Uri($"http://127.0.0.1:{m.Groups[1].Value}/"));
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var endpoint = await ready.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        return new S3rver(process, folder, bucket, endpoint);
    }

    static async Task NpmCiAsync(string fixture)
    {
        var start = new ProcessStartInfo("npm") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = fixture };
        foreach (string arg in (string[])["ci", "--no-audit", "--no-fund"]) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        string errors = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"npm ci in {fixture} failed (the S3 tests need s3rver): {await output}{errors}");
    }

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RevOps.slnx"))) return dir.FullName;
        throw new InvalidOperationException("The repository root (RevOps.slnx) is not above " + AppContext.BaseDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
    }

    [GeneratedRegex(@"listening on [^:\s]+:(\d+)")]
    private static partial Regex Listening();
}
