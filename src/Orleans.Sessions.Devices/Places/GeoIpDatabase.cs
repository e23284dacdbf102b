using System.Net;
using Microsoft.Extensions.Logging;

namespace Orleans.Sessions.Devices.Places;

/// <summary>
/// A GeoIP2 / GeoLite2 City database (<c>Sessions:GeoIp:DatabasePath</c>): the city, region, country and coordinates of
/// an address. Reloaded when the file is replaced (<see cref="MaxMindFile"/>); private, loopback, link-local and
/// unknown addresses have no place.
/// </summary>
public sealed class GeoIpDatabase(string path, ILogger<GeoIpDatabase> logger) : IDisposable
{
    private readonly MaxMindFile _file = new(path, logger);

    /// <summary>Whether a database is loaded.</summary>
    public bool IsLoaded => _file.IsLoaded;

    /// <summary>The place of <paramref name="address"/>, or null when the database does not know it (or there is none).</summary>
    public Place? Lookup(IPAddress address)
    {
        address = PublicAddresses.Normalize(address);
        return PublicAddresses.IsPublic(address)
            ? _file.Lookup(
                reader => reader.TryCity(address, out var city) && city is not null
                    ? new Place(
                        city.City.Name,
                        city.MostSpecificSubdivision.Name,
                        city.Country.Name,
                        city.Country.IsoCode,
                        city.Location.Latitude,
                        city.Location.Longitude)
                    : null,
                unloaded: null,
                failed: null)
            : null;
    }

    /// <summary>Checks the file now (a watcher does this on its own when the file changes).</summary>
    public void Reload() => _file.Reload();

    public void Dispose() => _file.Dispose();
}
