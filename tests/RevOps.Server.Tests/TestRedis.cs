using System.Diagnostics;
using System.Net.Sockets;

namespace RevOps.Server.Tests;

/// <summary>
/// A private redis-server (Debian package redis-server) on a loopback port, with no persistence, for
/// the tests of several nodes. Each test gets its own, so stopping it to test an outage touches no one else.
/// </summary>
public sealed class TestRedis : IAsyncDisposable
{
    Process? _process;

    TestRedis(int port) => Port = port;

    public int Port { get; }

    /// <summary>What --redis is given.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<TestRedis> StartAsync()
    {
        var redis = new TestRedis(ServeProcess.FreePort());
        await redis.StartAgainAsync();
        return redis;
    }

    /// <summary>Starts it (again) on the same port, empty.</summary>
    public async Task StartAgainAsync()
    {
        string binary = File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server" : "redis-server";
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            start.ArgumentList.Add(arg);
        try
        {
            _process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"redis-server could not be started ({e.Message}): install it with `apt-get install redis-server`; .ci/run does.");
        }
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port, TestContext.Current.CancellationToken);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(20, TestContext.Current.CancellationToken);
            }
        }
    }

    /// <summary>SIGKILL: the nodes see connections drop, as in a Redis crash.</summary>
    public void Kill()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill();
        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        return ValueTask.CompletedTask;
    }
}
