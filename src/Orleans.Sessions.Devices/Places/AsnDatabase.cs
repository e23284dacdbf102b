using System.Net;
using Microsoft.Extensions.Logging;

namespace Orleans.Sessions.Devices.Places;

/// <summary>The autonomous system an address is routed by: its number and, when the database names it, its organization.</summary>
public sealed record AutonomousSystem(long Number, string? Organization);

/// <summary>
/// A GeoLite2 / GeoIP2 ASN database (<c>Sessions:GeoIp:AsnDatabasePath</c>): the network an address belongs to.
/// Reloaded when the file is replaced (<see cref="MaxMindFile"/>); addresses it does not know have none.
/// </summary>
public sealed class AsnDatabase(string path, ILogger<AsnDatabase> logger) : IDisposable
{
    private readonly MaxMindFile _file = new(path, logger);

    /// <summary>Whether a database is loaded.</summary>
    public bool IsLoaded => _file.IsLoaded;

    /// <summary>The autonomous system of <paramref name="address"/>, or null when the database does not know it (or there is none).</summary>
    public AutonomousSystem? Lookup(IPAddress address)
    {
        address = PublicAddresses.Normalize(address);
        return PublicAddresses.IsPublic(address)
            ? _file.Lookup(
                reader => reader.TryAsn(address, out var asn) && asn?.AutonomousSystemNumber is { } number
                    ? new AutonomousSystem(number, asn.AutonomousSystemOrganization)
                    : null,
                unloaded: null,
                failed: null)
            : null;
    }

    public void Dispose() => _file.Dispose();
}
