using Orleans.Sessions.Deliveries;
using Orleans.Sessions.Events;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Grains.Tests.Deliveries;

/// <summary>
/// What a delivery keeps of the events it read (docs/webhooks.md, "Delivery"): each user's events in order, a
/// held user's later events waiting without holding anyone else's, the stored position passing only what is done or not
/// wanted, and nothing kept of what it passed.
/// </summary>
public sealed class DeliveryWindowTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly Func<EventPosition, SessionEvent, bool> Everything = (_, _) => true;

    [Fact]
    public void Each_users_events_come_in_log_order_and_a_held_user_waits_alone_until_their_retry()
    {
        var window = new DeliveryWindow(capacity: 10);
        var (a1, b1, a2, b2) = (Event(1, "a"), Event(2, "b"), Event(3, "a"), Event(4, "b"));
        window.Append([(Position(1), a1), (Position(2), b1), (Position(3), a2), (Position(4), b2)]);

        var chains = window.DueChains(Everything, Now);
        Assert.Equal([["e1", "e3"], ["e2", "e4"]], chains.Select(c => c.Select(e => e.Id)));

        window.Hold(a1, tries: 1, firstFailure: Now, retryAt: Now.AddMinutes(1));
        window.Done(b1);
        window.Done(b2);
        Assert.Empty(window.DueChains(Everything, Now)); // a waits for its retry; b is done.
        Assert.Equal([["e1", "e3"]], window.DueChains(Everything, Now.AddMinutes(1)).Select(c => c.Select(e => e.Id)));
        Assert.Equal((1, Now), window.Failures(a1, Now.AddMinutes(1)));
        Assert.Equal((0, Now.AddMinutes(2)), window.Failures(a2, Now.AddMinutes(2)));

        // The position cannot pass the held event; b's delivered events past it are not posted again.
        Assert.Null(window.Pass(Everything));
        Assert.Equal((2, a1.OccurredAt), window.Backlog(Everything));

        window.Done(a1);
        window.Done(a2);
        Assert.Equal(Position(4), window.Pass(Everything));
        Assert.Equal((0, null), window.Backlog(Everything));
        Assert.Null(window.Last);
        Assert.Equal(10, window.Room);
    }

    [Fact]
    public void Events_the_endpoint_does_not_want_are_passed_and_not_counted()
    {
        var window = new DeliveryWindow(capacity: 3);
        var revoked = Event(2, "a", SessionEventType.Revoked);
        window.Append([(Position(1), Event(1, "a")), (Position(2), revoked), (Position(3), Event(3, "b"))]);
        Func<EventPosition, SessionEvent, bool> revokesOnly = (_, e) => e.Type == SessionEventType.Revoked;

        Assert.Equal(0, window.Room);
        Assert.Equal(Position(3), window.Last);
        Assert.Equal([["e2"]], window.DueChains(revokesOnly, Now).Select(c => c.Select(e => e.Id)));
        Assert.Equal((1, revoked.OccurredAt), window.Backlog(revokesOnly));
        Assert.Equal(Position(1), window.Pass(revokesOnly)); // Up to the wanted event still waiting.

        window.Done(revoked);
        Assert.Equal(Position(3), window.Pass(revokesOnly));
        Assert.Equal(3, window.Room);
    }

    [Fact]
    public void A_dead_lettered_event_lets_the_users_next_events_go()
    {
        var window = new DeliveryWindow(capacity: 10);
        var (a1, a2) = (Event(1, "a"), Event(2, "a"));
        window.Append([(Position(1), a1), (Position(2), a2)]);
        window.Hold(a1, tries: 5, firstFailure: Now, retryAt: Now.AddHours(1));
        window.Done(a1); // Dead-lettered.

        Assert.Equal([["e2"]], window.DueChains(Everything, Now).Select(c => c.Select(e => e.Id)));
        Assert.Equal((0, Now), window.Failures(a2, Now));
    }

    private static EventPosition Position(long row) => new(0, row);

    private static SessionEvent Event(int n, string user, SessionEventType type = SessionEventType.Created)
    {
        var at = Now.AddSeconds(n);
        var signOn = new SignOnEvent(at, "203.0.113.1", "password");
        var session = new Session
        {
            Id = $"s{n}", Tenant = "acme", UserId = user, Status = SessionStatus.Active, CreatedAt = at, ActiveAt = at,
            ExpiresAt = at.AddDays(1), IdleExpiresAt = at.AddHours(1), AuthMethod = "password", LastSignOn = signOn, SignOns = [signOn],
            Device = new DeviceInfo(null, new BrowserInfo("Other", null, null), new OsInfo("Other", null), "other", null, null, null),
        };
        return new SessionEvent($"e{n}", type, at, "acme", user, session.Id, session);
    }
}
