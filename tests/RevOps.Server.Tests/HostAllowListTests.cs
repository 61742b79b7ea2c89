using Microsoft.AspNetCore.Http;
using RevOps.Server.Mcp.Transport;

namespace RevOps.Server.Tests;

/// <summary>When the Host check applies and which names pass: loopback-bound servers and configured names are checked; a public bind without names is not.</summary>
public sealed class HostAllowListTests
{
    [Theory]
    [InlineData("http://localhost:5080", "", true, "evil.example:5080", false)]
    [InlineData("http://localhost:5080", "", true, "localhost:5080", true)]
    [InlineData("http://127.0.0.1:0", "", true, "127.0.0.2:80", true)]
    [InlineData("http://[::1]:5080", "", true, "[::1]:5080", true)]
    [InlineData("http://127.0.0.1:5080;http://[::1]:5080", "", true, "localhost.evil.example", false)]
    [InlineData("http://0.0.0.0:5080", "", false, "crm.example.com", true)]
    [InlineData("http://+:5080", "", false, "anything.example", true)]
    [InlineData("http://localhost:5080;http://*:5081", "", false, "anything.example", true)]
    [InlineData("http://+:5080", "crm.example.com:443", true, "crm.example.com", true)]
    [InlineData("http://+:5080", "https://crm.example.com", true, "CRM.example.com.:8443", true)]
    [InlineData("http://+:5080", "crm.example.com", true, "other.example.com", false)]
    [InlineData("http://+:5080", "crm.example.com", true, "localhost:5080", true)]
    [InlineData("http://localhost:5080", "*", true, "anything.example", true)]
    public void Allows_ChecksHostsWhenBoundToLoopbackOrConfigured(string urls, string allowedHosts, bool enforced, string host, bool allowed)
    {
        var list = new HostAllowList(urls, allowedHosts.Split(',', StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal(enforced, list.Enforced);
        Assert.Equal(allowed, list.Allows(new HostString(host)));
    }

    [Fact]
    public void Allows_NoHostHeader_IsRefusedWhereChecked()
    {
        Assert.False(new HostAllowList("http://localhost:5080", []).Allows(default));
        Assert.True(new HostAllowList("http://0.0.0.0:5080", []).Allows(default));
    }
}
