using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Sessions.Devices.Places;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Devices.Tests.Places;

/// <summary>Lookups in MaxMind's GeoIP2-City test database (tests/TestData/GeoIP2-City-Test.mmdb), and hot reload of the file.</summary>
public sealed class GeoIpDatabaseTests : IDisposable
{
    private readonly GeoIpDatabase _database = new(TestData.GeoIpCityDatabase, NullLogger<GeoIpDatabase>.Instance);
    private readonly TempDirectory _directory = new();

    public void Dispose()
    {
        _database.Dispose();
        _directory.Dispose();
    }

    [Theory]
    [InlineData("81.2.69.142", "London", "England", "United Kingdom", "GB")]
    [InlineData("2.125.160.216", "Boxford", "West Berkshire", "United Kingdom", "GB")]
    [InlineData("216.160.83.56", "Milton", "Washington", "United States", "US")]
    [InlineData("89.160.20.112", "Linköping", "Östergötland County", "Sweden", "SE")]
    [InlineData("175.16.199.0", "Changchun", "Jilin Sheng", "China", "CN")]
    [InlineData("::ffff:81.2.69.142", "London", "England", "United Kingdom", "GB")]
    public void Known_addresses_have_city_region_country_code_and_coordinates(string ip, string city, string region, string country, string code)
    {
        var place = _database.Lookup(IPAddress.Parse(ip));

        Assert.NotNull(place);
        Assert.Equal((city, region, country, code), (place.City, place.Region, place.Country, place.CountryCode));
        Assert.InRange(place.Latitude!.Value, -90, 90);
        Assert.InRange(place.Longitude!.Value, -180, 180);
    }

    [Fact]
    public void London_is_where_London_is()
    {
        var place = _database.Lookup(IPAddress.Parse("81.2.69.142"))!;

        Assert.InRange(place.Latitude!.Value, 51.3, 51.7);
        Assert.InRange(place.Longitude!.Value, -0.5, 0.3);
    }

    [Fact]
    public void An_address_known_only_by_country_has_no_city()
    {
        var place = _database.Lookup(IPAddress.Parse("67.43.156.1"));

        Assert.NotNull(place);
        Assert.Equal("BT", place.CountryCode);
        Assert.Null(place.City);
    }

    [Theory]
    [InlineData("203.0.113.7")]   // public, not in the test database
    [InlineData("10.0.0.1")]
    [InlineData("192.168.1.20")]
    [InlineData("172.16.5.4")]
    [InlineData("100.64.0.1")]
    [InlineData("127.0.0.1")]
    [InlineData("169.254.1.1")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    public void Unknown_private_and_local_addresses_have_no_place(string ip) =>
        Assert.Null(_database.Lookup(IPAddress.Parse(ip)));

    [Fact]
    public async Task A_database_that_appears_later_is_loaded_and_a_replacement_swapped_in()
    {
        var path = Path.Combine(_directory.Path, "GeoLite2-City.mmdb");
        var logs = new LogSink();
        using var database = new GeoIpDatabase(path, logs.CreateLogger<GeoIpDatabase>());
        var london = IPAddress.Parse("81.2.69.142");
        Assert.False(database.IsLoaded);
        Assert.Null(database.Lookup(london));

        ReplaceAtomically(path);
        await WaitForAsync("the database that appeared to be loaded", () => database.Lookup(london) is not null, TimeSpan.FromSeconds(10));
        Assert.Equal("London", database.Lookup(london)!.City);
        Assert.Equal(1, Loads(logs));

        // An updater writes a new file and renames it over the old one: the new file is opened, lookups go on.
        File.WriteAllText(Path.Combine(_directory.Path, "note.txt"), "unrelated files do not matter");
        ReplaceAtomically(path);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        await WaitForAsync("the replacement to be loaded", () => Loads(logs) >= 2, TimeSpan.FromSeconds(10));
        Assert.Equal("London", database.Lookup(london)!.City);
    }

    [Fact]
    public void A_corrupt_replacement_leaves_the_previous_database_in_use()
    {
        var path = Path.Combine(_directory.Path, "GeoLite2-City.mmdb");
        ReplaceAtomically(path);
        using var database = new GeoIpDatabase(path, NullLogger<GeoIpDatabase>.Instance);
        Assert.True(database.IsLoaded);

        var corrupt = path + ".tmp";
        File.WriteAllBytes(corrupt, [1, 2, 3, 4, 5]);
        File.Move(corrupt, path, overwrite: true);
        database.Reload();

        Assert.Equal("London", database.Lookup(IPAddress.Parse("81.2.69.142"))!.City);
    }

    private static void ReplaceAtomically(string path)
    {
        var temporary = path + ".download";
        File.Copy(TestData.GeoIpCityDatabase, temporary, overwrite: true);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>How many times the database logged that it opened a file.</summary>
    private static int Loads(LogSink logs) => logs.Lines.Count(l => l.Line.StartsWith("MaxMind database ", StringComparison.Ordinal) && l.Line.Contains(" loaded (", StringComparison.Ordinal));
}
