using System.Net;
using Orleans.Sessions.Devices.Places;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Enrichment;

/// <summary>
/// Places from the MaxMind databases the settings name (docs/devices-and-places.md): the city database
/// (<c>Sessions:GeoIp:DatabasePath</c>) for the place, the ASN database (<c>Sessions:GeoIp:AsnDatabasePath</c>) and the
/// anonymous-IP database (<c>Sessions:GeoIp:AnonymousIpDatabasePath</c>) for its network; any of them may be absent.
/// Addresses they do not know — private, loopback, or simply absent — give no place, so the location keeps only its IP.
/// </summary>
public sealed class GeoIpLocationResolver(GeoIpDatabase? cities, AsnDatabase? networks, AnonymousIpDatabase? anonymizers) : ILocationResolver
{
    public Users.Place? Lookup(IPAddress address)
    {
        var place = cities?.Lookup(address);
        var network = Network(address);
        if (place is null && network is null)
        {
            return null;
        }

        return new Users.Place(place?.City, place?.Region, place?.Country, place?.CountryCode, place?.Latitude, place?.Longitude) { Network = network };
    }

    private NetworkInfo? Network(IPAddress address)
    {
        var system = networks?.Lookup(address);
        var anonymity = anonymizers?.Lookup(address);
        return system is null && anonymity is null
            ? null
            : new NetworkInfo
            {
                Asn = system?.Number,
                Organization = system?.Organization,
                Anonymous = anonymity?.Anonymous,
                Hosting = anonymity?.Hosting,
                Anonymizers = anonymity is null ? [] : [.. anonymity.Kinds],
            };
    }
}
