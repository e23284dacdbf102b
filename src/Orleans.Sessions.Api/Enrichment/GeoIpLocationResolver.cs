using System.Net;
using Orleans.Sessions.Devices.Places;

namespace Orleans.Sessions.Api.Enrichment;

/// <summary>
/// Places from the GeoIP database at <c>Sessions:GeoIp:DatabasePath</c> (docs/devices-and-places.md). Addresses it does not know
/// — private, loopback, or simply absent — give no place, so the location keeps only its IP; a location the caller
/// sends with the request wins over a lookup.
/// </summary>
public sealed class GeoIpLocationResolver(GeoIpDatabase database) : ILocationResolver
{
    public Users.Place? Lookup(IPAddress address) =>
        database.Lookup(address) is { } place
            ? new Users.Place(place.City, place.Region, place.Country, place.CountryCode, place.Latitude, place.Longitude)
            : null;
}
