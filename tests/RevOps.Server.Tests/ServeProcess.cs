using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>A real `revops serve` process on a loopback port (the CLI dll built beside the tests), for crash tests; on the directory's PostgreSQL database when it has one.</summary>
public sealed class ServeProcess : IAsyncDisposable
{
    public const string AdminToken = "crash-test-admin-token";
    readonly Process _process;

    ServeProcess(Process process, Uri baseUri)
    {
        _process = process;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    readonly System.Text.StringBuilder _output = new();

    void Keep(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    /// <param name="environment">REVOPS_* settings for this run, e.g. the test-only webhook timings.</param>
    public static async Task<ServeProcess> StartAsync(string dataDirectory, int port, IReadOnlyDictionary<string, string> environment, params string[] flags)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[Cli.DllPath, "serve", "--urls", $"http://127.0.0.1:{port}", "--data", dataDirectory, "--admin-token", AdminToken, .. flags])
            start.ArgumentList.Add(arg);
        // A directory given a PostgreSQL database (TestDatabase.CreateAsync) runs the server on it.
        if (TestDatabase.ForDataDirectory(dataDirectory) is { } database)
        {
            start.ArgumentList.Add("--db");
            start.ArgumentList.Add(database);
        }
        // Semantic search loads a 300 MB model: only the tests of it turn it on (REVOPS_SEMANTIC=on).
        start.Environment["REVOPS_SEMANTIC"] = "off";
        foreach (var (name, value) in environment) start.Environment[name] = value;
        var process = Process.Start(start)!;
        var server = new ServeProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, line) => server.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => server.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                using var health = await http.GetAsync(new Uri(server.BaseUri, "health"), TestContext.Current.CancellationToken);
                if (health.IsSuccessStatusCode) return server;
            }
            catch (HttpRequestException) { }
            if (process.HasExited || DateTime.UtcNow > deadline) Assert.Fail($"revops serve did not come up (exited: {process.HasExited}): {server.Output}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>POST /tenants; returns (tenant id, admin API key). The free tier (the default) allows 10 requests a second; "enterprise" 1,000.</summary>
    public async Task<(string Tenant, string Key)> CreateTenantAsync(string name, string tier = "free")
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseUri, "tenants"))
        {
            Content = JsonContent.Create(new Dictionary<string, string> { ["name"] = name, ["subscription_tier"] = tier }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return (body.Str("tenant_id"), body.Str("api_key"));
    }

    /// <summary>One HTTP call with a bearer token; the status and the JSON body (default when it has none).</summary>
    public async Task<(System.Net.HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? bearer, object? body = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(method, new Uri(BaseUri, path.TrimStart('/')));
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        string text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, text.Length > 0 && text[0] is '{' or '[' ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    /// <summary>What the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crash.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
