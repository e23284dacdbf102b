using System.Net;
using System.Security.Cryptography;
using System.Text;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Enrichment;

/// <summary>Turns what a client says about its device (user agent, client hints) into a <see cref="DeviceInfo"/>.</summary>
public interface IDeviceResolver
{
    /// <param name="tenant">The tenant, part of the device hash.</param>
    /// <param name="userId">The user, part of the device hash.</param>
    /// <param name="userAgent">The user agent, already bounded.</param>
    /// <param name="clientHints">User-agent client hints, which win over the frozen user agent string.</param>
    /// <param name="deviceId">An id the client keeps for the device (an app's installation id), if it sends one: part of the device hash.</param>
    DeviceInfo Resolve(string tenant, string userId, string? userAgent, IReadOnlyDictionary<string, string>? clientHints, string? deviceId);
}

/// <summary>Turns an IP address into a place; null when nothing is known about it.</summary>
public interface ILocationResolver
{
    Place? Lookup(IPAddress address);
}

/// <summary>Without a GeoIP database a location carries only its IP (docs/devices-and-places.md).</summary>
public sealed class IpOnlyLocationResolver : ILocationResolver
{
    public Place? Lookup(IPAddress address) => null;
}

/// <summary>
/// A device hash: SHA-256 over tenant, user and the device's identifying traits, so the same device of
/// the same user hashes alike while the same device of another user or tenant does not, and the hash
/// does not give the traits back.
/// </summary>
public static class DeviceHash
{
    public static string Compute(string tenant, string userId, params ReadOnlySpan<string?> traits)
    {
        var builder = new StringBuilder().Append(tenant).Append('\n').Append(userId);
        foreach (var trait in traits)
        {
            builder.Append('\n').Append(trait);
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString()));
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }
}
