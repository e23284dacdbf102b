using System.Text.Json;
using Orleans.Sessions.Hosting;
using Orleans.Sessions.Policy;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Grains.Tests.Users;

public sealed class SessionRingTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static readonly JsonSerializerOptions StorageJson = StorageJsonOptions();

    private readonly UserSessionsState _state = new();
    private readonly SessionsOptions _options = new();
    private DateTimeOffset _now = Start;

    private SessionRing Ring => new("acme", "alice", _state, _options);

    [Fact]
    public void SignOn_creates_an_active_session_with_defaults_from_options()
    {
        var session = SignOn(Commands.SignOn(ip: "198.51.100.7", clientId: "web"));

        Assert.Equal(SessionStatus.Active, session.Status);
        Assert.Equal(("acme", "alice"), (session.Tenant, session.UserId));
        Assert.Equal(Start, session.CreatedAt);
        Assert.Equal(Start, session.ActiveAt);
        Assert.Equal(Start + _options.DefaultExpiresIn, session.ExpiresAt);
        Assert.Equal(Start + _options.DefaultIdleTimeout, session.IdleExpiresAt);
        Assert.Equal(["web"], session.ClientIds);
        Assert.Equal(new SignOnEvent(Start, "198.51.100.7", "password"), session.LastSignOn);
        Assert.Single(session.SignOns);
        Assert.Equal("198.51.100.7", Assert.Single(session.Locations).Ip);
        Assert.Null(session.End);
    }

    [Fact]
    public void Idle_expiry_never_exceeds_absolute_expiry()
    {
        var session = SignOn(Commands.SignOn(expiresIn: TimeSpan.FromMinutes(5), idleTimeout: TimeSpan.FromHours(1)));

        Assert.Equal(Start.AddMinutes(5), session.IdleExpiresAt);
    }

    [Fact]
    public void A_full_ring_drops_the_oldest_record_and_its_token_stops_working()
    {
        _options.MaxSessionsPerUser = 3;
        var (first, firstSecretHash) = SignOnWithToken();
        SignOn();
        SignOn();
        Assert.True(Ring.AuthenticatesToken(first.Id, firstSecretHash, _now));

        SignOn();

        Assert.Equal(3, _state.Sessions.Count);
        Assert.Null(Ring.Find(first.Id, SessionScope.All, _now));
        Assert.False(Ring.AuthenticatesToken(first.Id, firstSecretHash, _now));
    }

    [Fact]
    public void Ended_records_stay_in_the_ring_until_evicted()
    {
        _options.MaxSessionsPerUser = 2;
        var first = SignOn();
        Assert.Equal(SessionError.None, Ring.SignOut(first.Id, SessionScope.All, _now).Error);
        SignOn();

        Assert.Equal(SessionStatus.Ended, Ring.Find(first.Id, SessionScope.All, _now)!.Status);

        SignOn();
        Assert.Null(Ring.Find(first.Id, SessionScope.All, _now));
    }

    [Fact]
    public void Ids_increase_strictly_even_within_one_millisecond_and_when_the_clock_steps_back()
    {
        var ids = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            ids.Add(SignOn().Id);
        }

        _now = Start.AddSeconds(-30);
        ids.Add(SignOn().Id);

        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(SessionIds.TryNormalize(id, out _)));
    }

    [Fact]
    public void Sign_on_returns_a_token_that_names_the_new_session_and_authenticates_it()
    {
        var result = Ring.SignOn(Commands.SignOn(), SessionScope.All, _now);

        Assert.True(SessionToken.TryParse(result.Token, out var tenant, out var userId, out var sessionId, out var secretHash));
        Assert.Equal(("acme", "alice", result.Session!.Id), (tenant, userId, sessionId));
        Assert.True(Ring.AuthenticatesToken(sessionId, secretHash, _now));
        Assert.DoesNotContain(result.Token!, Serialized(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_client_limit_that_ends_the_oldest_makes_room_under_a_user_limit_that_refuses()
    {
        var policy = new TenantPolicy
        {
            ActiveSessionLimit = new ActiveSessionLimit(2, ActiveSessionLimitPolicy.Refuse),
            Clients = [new ClientPolicy { ClientId = "kiosk", ActiveSessionLimit = new ActiveSessionLimit(1, ActiveSessionLimitPolicy.EndOldest) }],
        };
        var web = SignOn(Commands.SignOn(clientId: "web"), policy);
        var kiosk = SignOn(Commands.SignOn(clientId: "kiosk"), policy);

        // Two active of two: a kiosk sign-on ends the kiosk session first, so the user's limit is not reached.
        var next = SignOn(Commands.SignOn(clientId: "kiosk"), policy);
        Assert.Equal(SessionStatus.Evicted, Ring.Find(kiosk.Id, SessionScope.All, _now)!.Status);
        Assert.Equal(SessionRing.ClientLimitEnd, Ring.Find(kiosk.Id, SessionScope.All, _now)!.End);
        Assert.Equal([next.Id, web.Id], Ring.Active(_now).Select(s => s.Id).OrderDescending(StringComparer.Ordinal));

        // Another client has no such room: refused, nothing ended, no event.
        var events = _state.PendingEvents.Count;
        Assert.Equal(SessionError.ActiveLimitReached, Ring.SignOn(Commands.SignOn(clientId: "web"), SessionScope.All, _now, policy).Error);
        Assert.Equal(2, Ring.Active(_now).Count());
        Assert.Equal(events, _state.PendingEvents.Count);
    }

    [Fact]
    public void A_client_limit_that_refuses_ends_nothing_even_where_the_user_limit_would_end_the_oldest()
    {
        var policy = new TenantPolicy
        {
            ActiveSessionLimit = new ActiveSessionLimit(1, ActiveSessionLimitPolicy.EndOldest),
            Clients = [new ClientPolicy { ClientId = "kiosk", ActiveSessionLimit = new ActiveSessionLimit(1, ActiveSessionLimitPolicy.Refuse) }],
        };
        var kiosk = SignOn(Commands.SignOn(clientId: "kiosk"), policy);
        Assert.Equal(SessionError.ActiveLimitReached, Ring.SignOn(Commands.SignOn(clientId: "kiosk"), SessionScope.All, _now, policy).Error);
        Assert.Equal(SessionStatus.Active, Ring.Find(kiosk.Id, SessionScope.All, _now)!.Status);

        // Without the client, the user's limit ends the kiosk session.
        SignOn(Commands.SignOn(clientId: "web"), policy);
        Assert.Equal(SessionRing.ActiveLimitEnd, Ring.Find(kiosk.Id, SessionScope.All, _now)!.End);
    }

    [Fact]
    public void A_policy_ring_larger_than_configured_is_held_to_the_configured_size()
    {
        _options.MaxSessionsPerUser = 3;
        for (var i = 0; i < 5; i++)
        {
            SignOn(Commands.SignOn(), new TenantPolicy { MaxSessionsPerUser = 50 });
        }

        Assert.Equal(3, _state.Sessions.Count);
    }

    [Fact]
    public void Query_lists_newest_first_by_default_and_pages_with_a_keyset()
    {
        var ids = Enumerable.Range(0, 7).Select(_ => { _now = _now.AddSeconds(1); return SignOn().Id; }).ToList();
        ids.Reverse();

        var seen = new List<string>();
        SessionListPosition? after = null;
        do
        {
            var page = Ring.Query(new SessionQuery { Limit = 3, After = after }, SessionScope.All, _now);
            seen.AddRange(page.Items.Select(s => s.Id));
            after = page.Next;
        }
        while (after is not null);

        Assert.Equal(ids, seen);
    }

    [Fact]
    public void Query_sorts_ascending_and_by_activity()
    {
        var a = SignOn();
        _now = _now.AddMinutes(1);
        var b = SignOn();
        _now = _now.AddMinutes(1);
        Ring.RecordActivity(a.Id, Commands.Activity(), SessionScope.All, _now);

        Assert.Equal([a.Id, b.Id], Ring.Query(new SessionQuery { Descending = false }, SessionScope.All, _now).Items.Select(s => s.Id));
        Assert.Equal([a.Id, b.Id], Ring.Query(new SessionQuery { Sort = SessionSortField.ActiveAt }, SessionScope.All, _now).Items.Select(s => s.Id));
    }

    [Fact]
    public void Query_filters_by_status_and_client()
    {
        var web = SignOn(Commands.SignOn(clientId: "web"));
        var mobile = SignOn(Commands.SignOn(clientId: "mobile"));
        Ring.Revoke(mobile.Id, new SessionEnd("admin", "lost phone"), SessionScope.All, _now);

        Assert.Equal([web.Id], Ring.Query(new SessionQuery { Status = SessionStatus.Active }, SessionScope.All, _now).Items.Select(s => s.Id));
        Assert.Equal([mobile.Id], Ring.Query(new SessionQuery { ClientId = "mobile" }, SessionScope.All, _now).Items.Select(s => s.Id));
        Assert.Empty(Ring.Query(new SessionQuery { ClientId = "tv" }, SessionScope.All, _now).Items);
    }

    [Fact]
    public void Reauthentication_adds_to_the_bounded_sign_on_history_newest_first()
    {
        _options.MaxSignOnsPerSession = 3;
        var session = SignOn();
        for (var i = 1; i <= 4; i++)
        {
            _now = Start.AddMinutes(i);
            Assert.Equal(SessionError.None, Ring.Reauthenticate(session.Id, Commands.Reauthenticate(method: $"m{i}"), SessionScope.All, _now).Error);
        }

        var after = Ring.Find(session.Id, SessionScope.All, _now)!;
        Assert.Equal(["m4", "m3", "m2"], after.SignOns.Select(s => s.Method));
        Assert.Equal(new SignOnEvent(Start.AddMinutes(4), "203.0.113.1", "m4"), after.LastSignOn);
        Assert.Equal(Start.AddMinutes(4), after.ActiveAt);
        Assert.Equal("password", after.AuthMethod);
    }

    [Fact]
    public void Places_are_recorded_with_their_ip_at_the_rings_clock()
    {
        var london = new Place("London", "England", "United Kingdom", "GB", 51.5142, -0.0931);
        var paris = new Place("Paris", null, "France", "FR", null, null);
        var session = SignOn(Commands.SignOn(ip: "81.2.69.142") with { Place = london });
        _now = Start.AddMinutes(1);
        Ring.RecordActivity(session.Id, Commands.Activity(ip: "81.2.69.160") with { Place = paris }, SessionScope.All, _now);

        Assert.Equal(
            [GeoLocation.Of(_now, "81.2.69.160", paris), new GeoLocation(Start, "81.2.69.142", "London", "England", "United Kingdom", "GB", 51.5142, -0.0931)],
            Ring.Find(session.Id, SessionScope.All, _now)!.Locations);
    }

    [Fact]
    public void Activity_adds_a_location_only_when_the_ip_changes_and_keeps_the_newest()
    {
        _options.MaxLocationsPerSession = 3;
        var session = SignOn(Commands.SignOn(ip: "10.0.0.1"));
        string[] ips = ["10.0.0.1", "10.0.0.2", "10.0.0.2", "10.0.0.3", "10.0.0.4"];
        foreach (var ip in ips)
        {
            _now = _now.AddSeconds(10);
            Ring.RecordActivity(session.Id, Commands.Activity(ip: ip), SessionScope.All, _now);
        }

        Assert.Equal(["10.0.0.4", "10.0.0.3", "10.0.0.2"], Ring.Find(session.Id, SessionScope.All, _now)!.Locations.Select(l => l.Ip));
    }

    [Fact]
    public void Activity_extends_idle_expiry_and_collects_bounded_client_ids()
    {
        _options.MaxClientIdsPerSession = 2;
        var session = SignOn(Commands.SignOn(clientId: "a"));
        _now = Start.AddMinutes(20);
        Ring.RecordActivity(session.Id, Commands.Activity(clientId: "b"), SessionScope.All, _now);
        Ring.RecordActivity(session.Id, Commands.Activity(clientId: "b"), SessionScope.All, _now);
        var after = Ring.RecordActivity(session.Id, Commands.Activity(clientId: "c"), SessionScope.All, _now).Session!;

        Assert.Equal(_now, after.ActiveAt);
        Assert.Equal(_now + _options.DefaultIdleTimeout, after.IdleExpiresAt);
        Assert.Equal(["b", "c"], after.ClientIds);
    }

    [Fact]
    public void Idle_expiry_is_computed_from_the_clock()
    {
        var session = SignOn();
        _now = Start + _options.DefaultIdleTimeout - TimeSpan.FromMilliseconds(1);
        Assert.Equal(SessionStatus.Active, Ring.Find(session.Id, SessionScope.All, _now)!.Status);

        _now = Start + _options.DefaultIdleTimeout;
        var expired = Ring.Find(session.Id, SessionScope.All, _now)!;
        Assert.Equal(SessionStatus.Expired, expired.Status);
        Assert.Equal(Start + _options.DefaultIdleTimeout, expired.EndedAt);
        Assert.Null(expired.End);
    }

    [Fact]
    public void Reads_answer_expired_sessions_as_expired_and_leave_the_state_untouched()
    {
        var (session, secretHash) = SignOnWithToken(Commands.SignOn(expiresIn: TimeSpan.FromMinutes(5)));
        _now = Start.AddMinutes(5);
        var before = Serialized();

        var found = Ring.Find(session.Id, SessionScope.All, _now)!;
        var listed = Assert.Single(Ring.Query(new SessionQuery(), SessionScope.All, _now).Items);
        var expiredOnly = Ring.Query(new SessionQuery { Status = SessionStatus.Expired }, SessionScope.All, _now).Items;
        var activeOnly = Ring.Query(new SessionQuery { Status = SessionStatus.Active }, SessionScope.All, _now).Items;
        var authenticated = Ring.AuthenticatesToken(session.Id, secretHash, _now);

        Assert.Equal(before, Serialized());
        Assert.Equal((SessionStatus.Expired, Start.AddMinutes(5)), (found.Status, found.EndedAt));
        Assert.Equal((SessionStatus.Expired, Start.AddMinutes(5)), (listed.Status, listed.EndedAt));
        Assert.Equal([session.Id], expiredOnly.Select(s => s.Id));
        Assert.Empty(activeOnly);
        Assert.False(authenticated);
        Assert.Empty(Ring.Active(_now));
    }

    [Fact]
    public void Reads_of_active_sessions_leave_the_state_untouched()
    {
        var (session, secretHash) = SignOnWithToken();
        var before = Serialized();

        Assert.Equal(SessionStatus.Active, Ring.Find(session.Id, SessionScope.All, _now)!.Status);
        Assert.Single(Ring.Query(new SessionQuery(), SessionScope.All, _now).Items);
        Assert.True(Ring.AuthenticatesToken(session.Id, secretHash, _now));
        Assert.False(Ring.AuthenticatesToken(session.Id, new string('0', secretHash.Length), _now));

        Assert.Equal(before, Serialized());
    }

    [Fact]
    public void A_change_stores_the_expiry_of_every_session_the_clock_has_passed()
    {
        var expiring = SignOn(Commands.SignOn(expiresIn: TimeSpan.FromMinutes(5)));
        var lasting = SignOn();
        _now = Start.AddMinutes(5);

        Assert.Equal(SessionError.None, Ring.Revoke(lasting.Id, new SessionEnd("admin", null), SessionScope.All, _now).Error);

        var stored = _state.Sessions.Single(e => e.Session.Id == expiring.Id).Session;
        Assert.Equal((SessionStatus.Expired, Start.AddMinutes(5)), (stored.Status, stored.EndedAt));
    }

    [Fact]
    public void A_session_expired_by_the_clock_does_not_count_as_active_for_the_limit()
    {
        _options.MaxActiveSessionsPerUser = 1;
        _options.ActiveSessionLimitPolicy = ActiveSessionLimitPolicy.Refuse;
        var expiring = SignOn(Commands.SignOn(expiresIn: TimeSpan.FromMinutes(5)));
        _now = Start.AddMinutes(5);

        SignOn();

        Assert.Equal(SessionStatus.Expired, Ring.Find(expiring.Id, SessionScope.All, _now)!.Status);
    }

    [Fact]
    public void Absolute_expiry_wins_over_activity()
    {
        var session = SignOn(Commands.SignOn(expiresIn: TimeSpan.FromMinutes(40)));
        for (var minute = 10; minute < 40; minute += 10)
        {
            _now = Start.AddMinutes(minute);
            Assert.Equal(SessionError.None, Ring.RecordActivity(session.Id, Commands.Activity(), SessionScope.All, _now).Error);
        }

        _now = Start.AddMinutes(40);
        var outcome = Ring.RecordActivity(session.Id, Commands.Activity(), SessionScope.All, _now);

        Assert.Equal(SessionError.NotActive, outcome.Error);
        Assert.Equal(SessionStatus.Expired, outcome.Session!.Status);
        Assert.Equal(Start.AddMinutes(40), outcome.Session.EndedAt);
    }

    [Fact]
    public void Transitions_out_of_a_final_status_are_refused()
    {
        var session = SignOn();
        Assert.Equal(SessionError.None, Ring.Revoke(session.Id, new SessionEnd("admin", "test"), SessionScope.All, _now).Error);

        Assert.Equal(SessionError.NotActive, Ring.SignOut(session.Id, SessionScope.All, _now).Error);
        Assert.Equal(SessionError.NotActive, Ring.Revoke(session.Id, new SessionEnd("admin", "again"), SessionScope.All, _now).Error);
        Assert.Equal(SessionError.NotActive, Ring.RecordActivity(session.Id, Commands.Activity(), SessionScope.All, _now).Error);
        Assert.Equal(SessionError.NotActive, Ring.Reauthenticate(session.Id, Commands.Reauthenticate(), SessionScope.All, _now).Error);

        var stored = Ring.Find(session.Id, SessionScope.All, _now)!;
        Assert.Equal(SessionStatus.Revoked, stored.Status);
        Assert.Equal(new SessionEnd("admin", "test"), stored.End);
    }

    [Fact]
    public void Operations_on_unknown_sessions_are_not_found()
    {
        SignOn();
        var unknown = SessionIdGenerator.Next(_now, _state.LastSessionId);

        Assert.Equal(SessionError.NotFound, Ring.SignOut(unknown, SessionScope.All, _now).Error);
        Assert.Equal(SessionError.NotFound, Ring.RecordActivity(unknown, Commands.Activity(), SessionScope.All, _now).Error);
        Assert.Equal(SessionError.NotFound, Ring.RevokeAll(new SessionEnd("a", null), unknown, SessionScope.All, _now).Error);
    }

    [Fact]
    public void Sign_out_ends_the_session_on_the_users_own_authority()
    {
        var session = SignOn();
        _now = Start.AddMinutes(3);

        var ended = Ring.SignOut(session.Id, SessionScope.All, _now).Session!;

        Assert.Equal(SessionStatus.Ended, ended.Status);
        Assert.Equal(_now, ended.EndedAt);
        Assert.Equal(SessionRing.SignOutEnd, ended.End);
    }

    [Fact]
    public void Revoke_all_but_one_keeps_that_one_and_skips_sessions_already_ended()
    {
        var keep = SignOn();
        var other = SignOn();
        var signedOut = SignOn();
        Ring.SignOut(signedOut.Id, SessionScope.All, _now);
        var end = new SessionEnd("security", "password reset");

        var result = Ring.RevokeAll(end, keep.Id, SessionScope.All, _now);

        Assert.Equal([other.Id], result.RevokedSessionIds);
        Assert.Equal(SessionStatus.Active, Ring.Find(keep.Id, SessionScope.All, _now)!.Status);
        Assert.Equal(end, Ring.Find(other.Id, SessionScope.All, _now)!.End);
        Assert.Equal(SessionStatus.Ended, Ring.Find(signedOut.Id, SessionScope.All, _now)!.Status);
    }

    [Fact]
    public void Revoke_all_but_an_inactive_session_is_refused_and_changes_nothing()
    {
        var ended = SignOn();
        var active = SignOn();
        Ring.SignOut(ended.Id, SessionScope.All, _now);

        Assert.Equal(SessionError.NotActive, Ring.RevokeAll(new SessionEnd("a", null), ended.Id, SessionScope.All, _now).Error);
        Assert.Equal(SessionStatus.Active, Ring.Find(active.Id, SessionScope.All, _now)!.Status);
    }

    [Theory]
    [InlineData(ActiveSessionLimitPolicy.EndOldest)]
    [InlineData(ActiveSessionLimitPolicy.Refuse)]
    public void The_active_session_limit_ends_the_oldest_or_refuses(ActiveSessionLimitPolicy policy)
    {
        _options.MaxActiveSessionsPerUser = 2;
        _options.ActiveSessionLimitPolicy = policy;
        var oldest = SignOn();
        SignOn();

        var result = Ring.SignOn(Commands.SignOn(), SessionScope.All, _now);

        if (policy == ActiveSessionLimitPolicy.Refuse)
        {
            Assert.Equal(SessionError.ActiveLimitReached, result.Error);
            Assert.Equal(2, _state.Sessions.Count);
            Assert.Equal(SessionStatus.Active, Ring.Find(oldest.Id, SessionScope.All, _now)!.Status);
        }
        else
        {
            Assert.Equal(SessionError.None, result.Error);
            Assert.Equal(SessionStatus.Evicted, Ring.Find(oldest.Id, SessionScope.All, _now)!.Status);
            Assert.Equal(SessionRing.ActiveLimitEnd, Ring.Find(oldest.Id, SessionScope.All, _now)!.End);
            Assert.Equal(2, _state.Sessions.Count(e => e.Session.Status == SessionStatus.Active));
        }
    }

    [Fact]
    public void A_sign_on_at_both_limits_ends_only_the_oldest_session()
    {
        _options.MaxSessionsPerUser = 2;
        _options.MaxActiveSessionsPerUser = 2;
        var oldest = SignOn();
        var second = SignOn();

        var newest = SignOn();

        Assert.Null(Ring.Find(oldest.Id, SessionScope.All, _now));
        Assert.Equal(
            [(second.Id, SessionStatus.Active), (newest.Id, SessionStatus.Active)],
            Ring.Query(new SessionQuery { Descending = false }, SessionScope.All, _now).Items.Select(s => (s.Id, s.Status)));
    }

    [Fact]
    public void The_user_display_data_is_kept_from_the_latest_sign_on_that_gives_it()
    {
        SignOn(Commands.SignOn() with { UserName = "alice", DisplayName = "Alice" });
        SignOn(Commands.SignOn() with { DisplayName = "Alice A." });

        Assert.Equal(("alice", "Alice A."), (_state.UserName, _state.DisplayName));
    }

    /// <summary>The state as storage would hold it.</summary>
    private string Serialized() => JsonSerializer.Serialize(_state, StorageJson);

    private Session SignOn(SignOnCommand? command = null, TenantPolicy? policy = null) => SignOnWithToken(command, policy).Session;

    /// <summary>A sign-on that must succeed, with the hash of its token's secret.</summary>
    private (Session Session, string SecretHash) SignOnWithToken(SignOnCommand? command = null, TenantPolicy? policy = null)
    {
        var result = Ring.SignOn(command ?? Commands.SignOn(), SessionScope.All, _now, policy);
        Assert.Equal(SessionError.None, result.Error);
        Assert.True(SessionToken.TryParse(result.Token, out _, out _, out _, out var secretHash));
        return (result.Session!, secretHash);
    }

    private static JsonSerializerOptions StorageJsonOptions()
    {
        var json = new JsonSerializerOptions();
        SessionsSiloBuilderExtensions.ConfigureStorageJson(json);
        return json;
    }
}
