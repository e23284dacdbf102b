using Orleans.Sessions.Users;

namespace Orleans.Sessions.Grains.Tests.Users;

/// <summary>The address a session was created from outlives the bounded sign-on history and locations.</summary>
public sealed class CreationIpTests
{
    [Fact]
    public void The_creation_ip_is_kept_after_the_history_and_locations_dropped_it()
    {
        var options = new SessionsOptions { MaxSignOnsPerSession = 2, MaxLocationsPerSession = 2 };
        var ring = new SessionRing("acme", "alice", new UserSessionsState(), options);
        var now = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
        var session = ring.SignOn(Commands.SignOn(ip: "198.51.100.7"), SessionScope.All, now).Session!;
        foreach (var ip in new[] { "203.0.113.1", "203.0.113.2", "203.0.113.3" })
        {
            now = now.AddMinutes(1);
            Assert.Equal(SessionError.None, ring.Reauthenticate(session.Id, Commands.Reauthenticate(ip: ip), SessionScope.All, now).Error);
        }

        var after = ring.Find(session.Id, SessionScope.All, now)!;

        Assert.Equal(["203.0.113.3", "203.0.113.2"], after.SignOns.Select(s => s.Ip));
        Assert.Equal(["203.0.113.3", "203.0.113.2"], after.Locations.Select(l => l.Ip));
        Assert.Equal("198.51.100.7", after.CreationIp);
    }
}
