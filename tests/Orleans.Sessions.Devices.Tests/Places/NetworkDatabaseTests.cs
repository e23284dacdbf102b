using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Sessions.Devices.Places;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Devices.Tests.Places;

/// <summary>Networks from MaxMind's GeoLite2-ASN and GeoIP2-Anonymous-IP test databases (tests/TestData).</summary>
public sealed class NetworkDatabaseTests : IDisposable
{
    private readonly AsnDatabase _asn = new(TestData.AsnDatabase, NullLogger<AsnDatabase>.Instance);
    private readonly AnonymousIpDatabase _anonymous = new(TestData.AnonymousIpDatabase, NullLogger<AnonymousIpDatabase>.Instance);

    public void Dispose()
    {
        _asn.Dispose();
        _anonymous.Dispose();
    }

    [Theory]
    [InlineData("89.160.20.112", 29518L, "Bredband2 AB")]
    [InlineData("1.0.0.1", 15169L, "Google Inc.")]
    [InlineData("::ffff:1.0.0.1", 15169L, "Google Inc.")]
    [InlineData("216.160.83.56", 209L, null)] // a number the database does not name
    public void Known_addresses_have_their_autonomous_system(string ip, long number, string? organization) =>
        Assert.Equal(new AutonomousSystem(number, organization), _asn.Lookup(IPAddress.Parse(ip)));

    [Theory]
    [InlineData("81.2.69.142")] // in the city database, not in the ASN one
    [InlineData("203.0.113.7")]
    [InlineData("10.0.0.1")]
    [InlineData("::1")]
    public void Unknown_and_private_addresses_have_no_autonomous_system(string ip) =>
        Assert.Null(_asn.Lookup(IPAddress.Parse(ip)));

    [Theory]
    [InlineData("1.2.0.1", false, "vpn")]
    [InlineData("1.124.213.1", false, "vpn,tor")]
    [InlineData("71.160.223.7", true, "")]
    [InlineData("186.30.236.9", false, "public-proxy")]
    [InlineData("81.2.69.142", true, "vpn,tor,public-proxy,residential-proxy")]
    public void Listed_networks_are_anonymous_with_their_kinds_and_hosting_flag(string ip, bool hosting, string kinds)
    {
        var anonymity = _anonymous.Lookup(IPAddress.Parse(ip));

        Assert.NotNull(anonymity);
        Assert.True(anonymity.Anonymous);
        Assert.Equal((hosting, kinds), (anonymity.Hosting, string.Join(',', anonymity.Kinds)));
    }

    [Fact]
    public void A_public_address_the_database_does_not_list_is_known_not_anonymous_and_a_private_one_is_unknown()
    {
        Assert.Same(Anonymity.None, _anonymous.Lookup(IPAddress.Parse("89.160.20.112")));
        Assert.Null(_anonymous.Lookup(IPAddress.Parse("192.168.1.20")));
    }

    [Fact]
    public void Without_a_database_nothing_is_known()
    {
        using var missing = new AnonymousIpDatabase(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "none.mmdb"), NullLogger<AnonymousIpDatabase>.Instance);
        using var asn = new AsnDatabase(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "none.mmdb"), NullLogger<AsnDatabase>.Instance);

        Assert.Null(missing.Lookup(IPAddress.Parse("81.2.69.142")));
        Assert.Null(asn.Lookup(IPAddress.Parse("1.0.0.1")));
    }

    [Fact]
    public void A_database_of_another_kind_answers_nothing_rather_than_failing()
    {
        using var wrong = new AsnDatabase(TestData.GeoIpCityDatabase, NullLogger<AsnDatabase>.Instance);

        Assert.True(wrong.IsLoaded);
        Assert.Null(wrong.Lookup(IPAddress.Parse("81.2.69.142")));
    }
}
