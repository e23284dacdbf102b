using Orleans.Sessions.Users;

namespace Orleans.Sessions.Grains.Tests.Users;

public sealed class SharedValuesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Sessions_of_two_users_on_equal_devices_and_places_share_them_and_keep_their_own_hash_and_address()
    {
        var first = SignOn("alice", "hash-alice", "198.51.100.1");
        var second = SignOn("bob", "hash-bob", "198.51.100.2");

        // Equal values that came as strings of their own (as two JSON bodies make them) are one instance now.
        Assert.Same(first.Device.UserAgent, second.Device.UserAgent);
        Assert.Same(first.Device.Browser, second.Device.Browser);
        Assert.Same(first.Device.Os, second.Device.Os);
        Assert.Same(first.AuthMethod, second.AuthMethod);
        Assert.Same(first.ClientIds[0], second.ClientIds[0]);
        Assert.Same(first.Locations[0].City, second.Locations[0].City);
        Assert.Same(first.LastSignOn.Method, second.AuthMethod);

        // What is a user's or a session's own stays so.
        Assert.Equal(("hash-alice", "hash-bob"), (first.Device.Hash, second.Device.Hash));
        Assert.Equal(("198.51.100.1", "198.51.100.2"), (first.Locations[0].Ip, second.Locations[0].Ip));
        Assert.Equal(Command("x", "h", "ip").Device with { Hash = "hash-alice" }, first.Device);
    }

    [Fact]
    public void A_session_read_from_storage_shares_its_values_and_stays_equal()
    {
        var signedOn = SignOn("carol", "hash-carol", "198.51.100.3");
        var read = signedOn with
        {
            AuthMethod = new string(signedOn.AuthMethod),
            Device = signedOn.Device with { UserAgent = new string(signedOn.Device.UserAgent) },
            Locations = [signedOn.Locations[0] with { City = new string(signedOn.Locations[0].City) }],
        };

        var shared = SharedValues.Share(read);

        Assert.Same(signedOn.AuthMethod, shared.AuthMethod);
        Assert.Same(signedOn.Device.UserAgent, shared.Device.UserAgent);
        Assert.Same(signedOn.Locations[0].City, shared.Locations[0].City);
        Assert.Equal(signedOn.Device, shared.Device);
        Assert.Equal(signedOn.Locations, shared.Locations);
    }

    [Fact]
    public void A_string_longer_than_the_bound_is_kept_as_it_came()
    {
        var huge = new string('x', SharedValues.MaxLength + 1);

        Assert.Same(huge, SharedValues.Share(huge));
        Assert.NotSame(SharedValues.Share(new string('y', SharedValues.MaxLength + 1)), SharedValues.Share(new string('y', SharedValues.MaxLength + 1)));
    }

    private static Session SignOn(string user, string hash, string ip)
    {
        var ring = new SessionRing("shared", user, new UserSessionsState(), new SessionsOptions());
        return ring.SignOn(Command(user, hash, ip), SessionScope.All, Now).Session!;
    }

    // Strings of their own each time, as a request body's JSON makes them.
    private static SignOnCommand Command(string user, string hash, string ip) => new()
    {
        Ip = ip,
        Device = new DeviceInfo(
            new string("Mozilla/5.0 (X11; Linux x86_64) SharedValuesTests/1.0"),
            new BrowserInfo(new string("Chrome"), new string("131.0"), new string("131")),
            new OsInfo(new string("Linux"), null),
            new string("desktop"),
            null,
            null,
            hash),
        AuthMethod = new string("password"),
        ClientId = new string("web"),
        Place = new Place(new string("Lisbon"), new string("Lisbon"), new string("Portugal"), new string("PT"), 38.7, -9.1),
        UserName = user,
    };
}
