using System.Net;
using System.Net.Sockets;

namespace RevOps.Server.Webhooks;

/// <summary>
/// Resolves a webhook host and keeps only the addresses it may reach. Used when a webhook is
/// created and again at every connection, after DNS resolution, so a name that later resolves
/// to a private address (DNS rebinding) is refused too.
/// </summary>
public static class WebhookTargets
{
    public sealed record Resolution(IReadOnlyList<IPAddress> Allowed, string? Refusal);

    public static async Task<Resolution> ResolveAsync(string host, bool allowPrivate, CancellationToken ct)
    {
        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal)) addresses = [literal];
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, ct);
            }
            catch (SocketException e)
            {
                return new Resolution([], $"host '{host}' does not resolve ({e.SocketErrorCode}).");
            }
        }
        if (addresses.Length == 0) return new Resolution([], $"host '{host}' does not resolve.");
        if (allowPrivate) return new Resolution(addresses, null);
        var blocked = addresses.Where(PrivateNetworks.IsPrivate).ToList();
        // One private address is enough to refuse: the connection could be steered to it.
        return blocked.Count > 0
            ? new Resolution([], $"host '{host}' resolves to {blocked[0]}, a loopback, private, link-local or unique-local address; webhooks go only to public addresses unless the operator runs revops serve --allow-private-webhooks.")
            : new Resolution(addresses, null);
    }

    /// <summary>SocketsHttpHandler.ConnectCallback: connects only to addresses <see cref="ResolveAsync"/> allows.</summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> ConnectCallback(bool allowPrivate) => async (context, ct) =>
    {
        var resolution = await ResolveAsync(context.DnsEndPoint.Host, allowPrivate, ct);
        if (resolution.Refusal is { } refusal) throw new HttpRequestException("refused: " + refusal);
        SocketException? last = null;
        foreach (var address in resolution.Allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        // SocketsHttpHandler appends " (host:port)" to this message.
        throw new HttpRequestException($"connect failed: {last?.SocketErrorCode}", last);
    };
}
