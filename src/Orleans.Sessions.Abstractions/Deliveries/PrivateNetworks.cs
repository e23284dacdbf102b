using System.Net;
using System.Net.Sockets;

namespace Orleans.Sessions.Deliveries;

/// <summary>
/// Addresses a delivery (a webhook, a logout token) may not reach unless <c>Sessions:Webhooks:AllowPrivateNetworks</c>: loopback, link-local,
/// private (RFC 1918, unique local IPv6), carrier-grade NAT, unspecified and multicast — so registering a receiver cannot
/// probe the network the service runs in. Checked when an endpoint is registered and again on every connection (a
/// name that resolved to a public address then may resolve to a private one now).
/// </summary>
public static class PrivateNetworks
{
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (bytes[0] & 0xFE) == 0xFC;
        }

        var b = address.GetAddressBytes();
        return b[0] == 10
            || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
            || b[0] == 0
            || b[0] >= 224;
    }

    /// <summary>The addresses <paramref name="host"/> resolves to (itself when it is an address).</summary>
    public static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
}
