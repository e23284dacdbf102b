using System.Net;

namespace Orleans.Sessions.Api.Tests;

/// <summary>Places from the GeoIP test database (docs/devices-and-places.md) through the API: lookups, IP-only places, explicit locations.</summary>
[Collection(ApiCollection.Name)]
public sealed class LocationApiTests(SessionsApiFactory factory)
{
    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task A_sign_on_from_a_known_address_gets_its_city_region_country_and_coordinates()
    {
        var session = await _api.SignOnAsync(ApiClient.SignOnBody(ip: "::ffff:81.2.69.142"));

        var place = session.GetProperty("locations")[0];
        Assert.Equal(("81.2.69.142", "London", "England", "United Kingdom", "GB"),
            (place.Str("ip"), place.Str("city"), place.Str("region"), place.Str("country"), place.Str("countryCode")));
        Assert.InRange(place.GetProperty("latitude").GetDouble(), 51.3, 51.7);
    }

    [Fact]
    public async Task A_location_carries_its_network_from_the_ASN_database_and_an_unknown_one_none()
    {
        var session = await _api.SignOnAsync(ApiClient.SignOnBody(ip: "89.160.20.112"));
        var network = session.GetProperty("locations")[0].GetProperty("network");
        Assert.Equal((29518L, "Bredband2 AB"), (network.GetProperty("asn").GetInt64(), network.Str("organization")));
        // No anonymous-IP database in this host: whether the network hides its user is unknown, not "no".
        Assert.Equal(System.Text.Json.JsonValueKind.Null, network.GetProperty("anonymous").ValueKind);

        var (_, after) = await _api.PostAsync($"{_api.Sessions}/{session.Str("id")}/activity", new { ip = "81.2.69.142" });
        Assert.Equal(System.Text.Json.JsonValueKind.Null, after.GetProperty("locations")[0].GetProperty("network").ValueKind);
    }

    [Fact]
    public async Task Activity_from_a_new_address_adds_that_place_and_private_addresses_keep_only_the_ip()
    {
        var session = await _api.SignOnAsync(ApiClient.SignOnBody(ip: "10.1.2.3"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, session.GetProperty("locations")[0].GetProperty("city").ValueKind);

        var (status, after) = await _api.PostAsync($"{_api.Sessions}/{session.Str("id")}/activity", new { ip = "216.160.83.56" });

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(("Milton", "US"), (after.GetProperty("locations")[0].Str("city"), after.GetProperty("locations")[0].Str("countryCode")));
    }

    [Fact]
    public async Task An_explicit_location_wins_over_the_lookup()
    {
        var session = await _api.SignOnAsync(new
        {
            ip = "81.2.69.142",
            userAgent = "test",
            authMethod = "password",
            location = new { city = "Paris", region = "Île-de-France", country = "France", countryCode = "fr", latitude = 48.85, longitude = 2.35 },
        });

        var place = session.GetProperty("locations")[0];
        Assert.Equal(("Paris", "FR"), (place.Str("city"), place.Str("countryCode")));
    }

    [Fact]
    public async Task An_explicit_location_still_gets_the_network_of_its_address()
    {
        var session = await _api.SignOnAsync(new
        {
            ip = "1.0.0.1",
            userAgent = "test",
            authMethod = "password",
            location = new { city = "Sydney", countryCode = "AU" },
        });

        var place = session.GetProperty("locations")[0];
        Assert.Equal(("Sydney", 15169L), (place.Str("city"), place.GetProperty("network").GetProperty("asn").GetInt64()));
    }
}
