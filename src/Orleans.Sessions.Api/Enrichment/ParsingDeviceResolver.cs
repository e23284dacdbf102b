using Orleans.Sessions.Devices.UserAgents;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Enrichment;

/// <summary>
/// Devices from the user agent and client hints (docs/devices-and-places.md) with <see cref="UserAgentParser"/>. The device hash
/// covers what stays the same on one device — browser family, system, vendor and model, not versions, which change
/// with every update — and the client's own device id when it sends one, salted with tenant and user, so the same
/// phone of two users hashes apart.
/// </summary>
public sealed class ParsingDeviceResolver(UserAgentParser parser) : IDeviceResolver
{
    public DeviceInfo Resolve(string tenant, string userId, string? userAgent, IReadOnlyDictionary<string, string>? clientHints, string? deviceId)
    {
        var parsed = parser.Parse(userAgent, clientHints);
        var browser = parsed.Browser;
        return new DeviceInfo(
            userAgent,
            new BrowserInfo(browser.Name, browser.Version, browser.Major),
            new OsInfo(parsed.Os.Name, parsed.Os.Version),
            parsed.Type,
            parsed.Vendor,
            parsed.Model,
            DeviceHash.Compute(tenant, userId, browser.Name, parsed.Os.Name, parsed.Type, parsed.Vendor, parsed.Model, deviceId));
    }
}
