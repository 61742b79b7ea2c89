using System.Net;
using RevOps.Server.Hosting;

namespace RevOps.Server.Mcp.Transport;

/// <summary>
/// Which Host headers name this server. A DNS-rebinding page reaches a loopback-bound server
/// under its own name (Host: evil.example), so when every listen address is loopback, or the
/// operator lists names with --allowed-hosts, only loopback names and those names pass. A
/// server bound to a public address with no list accepts any Host: its public name is not
/// known here, and no browser sends it our bearer key on its own.
/// </summary>
public sealed class HostAllowList
{
    readonly HashSet<string> _names;

    public HostAllowList(string urls, IEnumerable<string> allowedHosts)
    {
        _names = new HashSet<string>(allowedHosts.Select(NameOf).Where(n => n.Length > 0), StringComparer.OrdinalIgnoreCase);
        Enforced = _names.Count > 0 || ListensOnlyOnLoopback(urls);
    }

    public static HostAllowList From(RevOpsOptions options) => new(options.Urls, options.AllowedHosts);

    /// <summary>False when the server listens on a public address and no names were configured.</summary>
    public bool Enforced { get; }

    public bool Allows(HostString host)
    {
        if (!Enforced || _names.Contains("*")) return true;
        if (!host.HasValue) return false;
        return IsLoopbackName(host.Host) || _names.Contains(host.Host.TrimEnd('.'));
    }

    static bool IsLoopbackName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    static bool ListensOnlyOnLoopback(string urls)
    {
        var addresses = urls.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        // "http://+:5080" and "http://*:5080" are not URIs .NET parses; both mean every interface.
        return addresses.Length > 0 && addresses.All(a => Uri.TryCreate(a, UriKind.Absolute, out var uri) && IsLoopbackName(uri.Host));
    }

    /// <summary>"crm.example.com", "crm.example.com:443" and "https://crm.example.com" all name crm.example.com.</summary>
    static string NameOf(string entry)
    {
        string trimmed = entry.Trim();
        if (trimmed == "*") return trimmed;
        if (Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) && uri.Host.Length > 0) return uri.Host.TrimEnd('.');
        return HostString.FromUriComponent(trimmed).Host.TrimEnd('.');
    }
}
