using System.Net;
using System.Net.Sockets;

namespace Orleans.Sessions.Devices.Places;

/// <summary>Which addresses a lookup is made for (docs/devices-and-places.md, "Addresses that get no place").</summary>
public static class PublicAddresses
{
    /// <summary>The address as databases key it: an IPv4-mapped IPv6 address as IPv4.</summary>
    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>Addresses that name no place: private (RFC 1918, ULA), loopback, link-local, CGNAT, unspecified, multicast.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast);
        }

        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        return !(b[0] == 10
            || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
            || b[0] == 0
            || b[0] >= 224);
    }
}
