using System.Collections.Immutable;
using System.Text.Json;
using Orleans.Sessions.Events;
using Orleans.Sessions.SharedSignals;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Grains.Tests.SharedSignals;

/// <summary>Which <c>session.risk</c> events are CAEP risk-level-changes, and what their SETs say (docs/shared-signals.md).</summary>
public sealed class RiskLevelChangeTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(null, 20, false)]  // a sign-on that stays LOW
    [InlineData(null, 50, true)]   // a sign-on at MEDIUM
    [InlineData(20, 30, false)]    // LOW to LOW
    [InlineData(20, 90, true)]     // LOW to HIGH
    [InlineData(50, 60, false)]    // MEDIUM to MEDIUM
    [InlineData(50, 100, true)]    // MEDIUM to HIGH
    public void A_risk_event_is_a_level_change_only_when_the_score_crosses_a_level(int? previous, int score, bool change) =>
        Assert.Equal(change ? CaepEvents.RiskLevelChange : null, SecurityEventToken.CaepType(RiskEvent(previous, score)));

    [Fact]
    public void The_set_names_the_session_its_levels_and_its_signals()
    {
        var stream = new SsfStream { Id = "st_1", Audience = "siem", Issuer = "https://sessions.example/v1/tenants/acme", EndpointUrl = "https://siem.example/ssf", EventsRequested = [CaepEvents.RiskLevelChange], CreatedAt = At };

        using var claims = JsonDocument.Parse(SecurityEventToken.Claims(stream, RiskEvent(20, 90), At));

        var change = claims.RootElement.GetProperty("events").GetProperty(CaepEvents.RiskLevelChange);
        Assert.Equal(
            """{"event_timestamp":1796299200,"initiating_entity":"system","principal":"SESSION","current_level":"HIGH","previous_level":"LOW","risk_reason":"new_country impossible_travel"}""",
            change.GetRawText());
        Assert.Equal("s1", claims.RootElement.GetProperty("sub_id").GetProperty("session").GetProperty("id").GetString());
        Assert.Null(SecurityEventToken.CaepType(RiskEvent(20, 90) with { Type = SessionEventType.Updated }));
    }

    private static SessionEvent RiskEvent(int? previous, int score)
    {
        var session = new Session
        {
            Id = "s1",
            Tenant = "acme",
            UserId = "alice",
            Status = SessionStatus.Active,
            CreatedAt = At,
            ActiveAt = At,
            ExpiresAt = At.AddDays(1),
            IdleExpiresAt = At.AddHours(1),
            AuthMethod = "password",
            Device = Users.Commands.Device,
            LastSignOn = new SignOnEvent(At, "203.0.113.1", "password"),
            Risk = new SessionRisk(ImmutableArray.Create("new_country", "impossible_travel"), score, At) { PreviousScore = previous },
        };
        return new SessionEvent("01KAQ7B3JY5C8N1W3F6H9KQ2TZ", SessionEventType.Risk, At, "acme", "alice", "s1", session);
    }
}
