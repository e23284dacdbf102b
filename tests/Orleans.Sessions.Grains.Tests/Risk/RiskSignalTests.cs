using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Orleans.Sessions.Events;
using Orleans.Sessions.Grains.Tests.Users;
using Orleans.Sessions.Hosting;
using Orleans.Sessions.Policy;
using Orleans.Sessions.Risk;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Grains.Tests.Risk;

/// <summary>
/// Each risk signal of docs/risk.md, raised and not raised, on the ring of one user with the clock in the test's hands;
/// places are the cities of MaxMind's GeoIP2-City test database, with its coordinates.
/// </summary>
public sealed class RiskSignalTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static readonly Place London = new("London", "England", "United Kingdom", "GB", 51.5142, -0.0931);
    private static readonly Place Boxford = new("Boxford", "West Berkshire", "United Kingdom", "GB", 51.75, -1.25);
    private static readonly Place Linkoping = new("Linköping", "Östergötland County", "Sweden", "SE", 58.4167, 15.6167);
    private static readonly Place Milton = new("Milton", "Washington", "United States", "US", 47.2513, -122.3149);
    private static readonly Place Changchun = new("Changchun", "Jilin Sheng", "China", "CN", 43.88, 125.3228);

    private readonly UserSessionsState _state = new();
    private readonly SessionsOptions _options = new();
    private DateTimeOffset _now = Start;

    private SessionRing Ring => new("acme", "alice", _state, _options, risk: new RiskEvaluator(Options.Create(_options)));

    [Fact]
    public void A_users_first_sign_on_raises_nothing_there_is_nothing_to_be_unusual_against()
    {
        var session = SignOn(device: Laptop, place: Changchun);

        Assert.Equal(new SessionRisk([], 0, Start), session.Risk);
        Assert.Equal([SessionEventType.Created], Events());
    }

    [Fact]
    public void New_device_is_a_device_the_user_has_not_used_within_the_device_memory()
    {
        SignOn(device: Laptop, place: London);
        Assert.Equal([RiskSignals.NewDevice], SignOn(device: Phone, place: London).Risk!.Signals);
        Assert.Empty(SignOn(device: Laptop, place: London).Risk!.Signals);
        Assert.Empty(SignOn(device: Phone, place: London).Risk!.Signals);

        _now += _options.Risk.DeviceMemory + TimeSpan.FromMinutes(1);
        SignOn(device: Laptop, place: London); // the phone is now older than the memory: forgotten
        Assert.Equal([RiskSignals.NewDevice], SignOn(device: Phone, place: London).Risk!.Signals);
    }

    [Fact]
    public void A_device_nobody_knows_raises_no_new_device()
    {
        SignOn(device: Laptop, place: London);
        var unknown = new DeviceInfo(null, new BrowserInfo("Other", null, null), new OsInfo("Other", null), "other", null, null, "hash-of-nothing");

        Assert.Empty(SignOn(device: unknown, place: London).Risk!.Signals);
        Assert.Empty(SignOn(device: Laptop with { Hash = null }, place: London).Risk!.Signals);
    }

    [Fact]
    public void New_country_is_a_country_the_user_has_not_been_in_within_the_country_memory_and_an_unknown_one_is_none()
    {
        SignOn(place: London);
        _now += TimeSpan.FromDays(2);
        Assert.Equal([RiskSignals.NewCountry], SignOn(place: Linkoping).Risk!.Signals);
        _now += TimeSpan.FromDays(2);
        Assert.Empty(SignOn(place: Boxford).Risk!.Signals);
        Assert.Empty(SignOn(place: null).Risk!.Signals);
        Assert.Empty(SignOn(place: new Place(null, null, null, null, null, null)).Risk!.Signals);

        _now += _options.Risk.CountryMemory + TimeSpan.FromMinutes(1);
        SignOn(place: London);
        _now += TimeSpan.FromDays(2);
        Assert.Equal([RiskSignals.NewCountry], SignOn(place: Linkoping).Risk!.Signals);
    }

    [Fact]
    public void Impossible_travel_is_London_then_Changchun_ten_minutes_later_but_not_a_day_later()
    {
        SignOn(place: London, idleTimeout: TimeSpan.FromMinutes(1));
        _now += TimeSpan.FromMinutes(10);

        var fast = SignOn(place: Changchun, idleTimeout: TimeSpan.FromMinutes(1));

        Assert.Equal([RiskSignals.NewCountry, RiskSignals.ImpossibleTravel], fast.Risk!.Signals); // the London session idled out
        _now += TimeSpan.FromHours(20); // 8,100 km in 20 hours: a flight
        Assert.DoesNotContain(RiskSignals.ImpossibleTravel, SignOn(place: London).Risk!.Signals);
    }

    [Fact]
    public void Travel_is_timed_from_the_last_activity_at_the_users_place_not_from_the_sign_on()
    {
        var session = SignOn(place: London, idleTimeout: TimeSpan.FromDays(1));
        _now += TimeSpan.FromHours(20);
        Ring.RecordActivity(session.Id, new ActivityCommand { Ip = "203.0.113.1", Place = London }, SessionScope.All, _now); // the sign-on's address
        Ring.SignOut(session.Id, SessionScope.All, _now);
        _now += TimeSpan.FromMinutes(30);

        Assert.Contains(RiskSignals.ImpossibleTravel, SignOn(place: Changchun).Risk!.Signals);
    }

    [Fact]
    public void Travel_shorter_than_the_minimum_distance_or_without_coordinates_is_not_judged()
    {
        SignOn(place: London);
        _now += TimeSpan.FromMinutes(1);
        Assert.Empty(SignOn(place: Boxford).Risk!.Signals); // 82 km in a minute: GeoIP's coarseness

        _now += TimeSpan.FromMinutes(1);
        Assert.Empty(SignOn(place: Changchun with { Latitude = null, Longitude = null, CountryCode = null }).Risk!.Signals);
    }

    [Fact]
    public void Concurrent_distant_is_another_active_session_further_away_than_the_distance()
    {
        var london = SignOn(place: London, idleTimeout: TimeSpan.FromDays(1));
        _now += TimeSpan.FromHours(12); // 7,700 km in 12 hours: possible, but the London session is still active

        var milton = SignOn(place: Milton, idleTimeout: TimeSpan.FromDays(1));
        Assert.Equal([RiskSignals.NewCountry, RiskSignals.ConcurrentDistant], milton.Risk!.Signals);

        Assert.Equal(SessionError.None, Ring.SignOut(london.Id, SessionScope.All, _now).Error);
        Assert.Equal(SessionError.None, Ring.SignOut(milton.Id, SessionScope.All, _now).Error);
        _now += TimeSpan.FromHours(12);
        SignOn(place: Milton, idleTimeout: TimeSpan.FromDays(1));
        Assert.Empty(SignOn(place: Milton, idleTimeout: TimeSpan.FromDays(1)).Risk!.Signals);
        _now += TimeSpan.FromDays(1);
        Assert.DoesNotContain(RiskSignals.ConcurrentDistant, SignOn(place: London).Risk!.Signals); // the Milton ones expired
    }

    [Theory]
    [InlineData(true, null, null, true)]
    [InlineData(null, true, null, true)]
    [InlineData(false, false, 16509L, true)] // a hosting provider's network by its number
    [InlineData(false, false, 2856L, false)]
    [InlineData(null, null, 2856L, false)]
    [InlineData(null, null, null, false)]
    public void Anonymous_network_is_an_anonymizer_or_a_hosting_network_and_unknown_is_none(bool? anonymous, bool? hosting, long? asn, bool raised)
    {
        SignOn(place: London);
        var place = London with { Network = new NetworkInfo { Anonymous = anonymous, Hosting = hosting, Asn = asn } };

        Assert.Equal(raised, SignOn(place: place).Risk!.Signals.Contains(RiskSignals.AnonymousNetwork));
        Assert.DoesNotContain(RiskSignals.AnonymousNetwork, SignOn(place: London with { Network = null }).Risk!.Signals);
    }

    [Theory]
    [InlineData("bot", "password", true)]
    [InlineData("bot", "webauthn", true)]
    [InlineData("bot", "refresh_token", false)]
    [InlineData("bot", "Client_Credentials", false)]
    [InlineData("desktop", "password", false)]
    public void Bot_agent_is_a_crawler_signing_on_interactively(string type, string method, bool raised)
    {
        var crawler = Laptop with { Type = type };

        Assert.Equal(raised, SignOn(device: crawler, method: method).Risk!.Signals.Contains(RiskSignals.BotAgent));
        Assert.Equal(raised, Ring.Reauthenticate(SignOn(device: crawler, method: "refresh_token").Id, Commands.Reauthenticate(method: method), SessionScope.All, _now)
            .Session!.Risk!.Signals.Contains(RiskSignals.BotAgent));
    }

    [Fact]
    public void The_score_is_the_sum_of_the_weights_at_most_100_and_a_policy_changes_weights_or_turns_the_evaluation_off()
    {
        SignOn(device: Laptop, place: London);
        _now += TimeSpan.FromMinutes(10);

        var everything = SignOn(device: Phone, place: Changchun with { Network = new NetworkInfo { Anonymous = true } });
        Assert.Equal(RiskSignals.All.Remove(RiskSignals.BotAgent), everything.Risk!.Signals);
        Assert.Equal(100, everything.Risk.Score); // 20 + 30 + 60 + 40 + 30 = 180, at most 100

        _now += TimeSpan.FromDays(2);
        var weights = new TenantPolicy { Risk = new RiskPolicy { Weights = ImmutableSortedDictionary.CreateRange([KeyValuePair.Create(RiskSignals.NewDevice, 5)]) } };
        Assert.Equal(new SessionRisk([RiskSignals.NewDevice], 5, _now), SignOn(device: Tablet, place: London, policy: weights).Risk);

        var anonymousLondon = London with { Network = new NetworkInfo { Anonymous = true } };
        var off = new TenantPolicy { Risk = new RiskPolicy { Enabled = false } };
        Assert.Null(SignOn(device: Watch, place: anonymousLondon, policy: off).Risk);
        _options.Risk.Enabled = false;
        Assert.Null(SignOn(device: Watch, place: anonymousLondon).Risk);
        var on = new TenantPolicy { Risk = new RiskPolicy { Enabled = true } };
        Assert.Equal(new SessionRisk([RiskSignals.NewDevice], 20, _now), SignOn(device: Watch, place: London, policy: on).Risk); // nothing was remembered while off
    }

    [Fact]
    public void Activity_from_a_new_address_adds_signals_to_the_sessions_and_emits_session_risk_once()
    {
        var session = SignOn(place: London, idleTimeout: TimeSpan.FromDays(1));
        _now += TimeSpan.FromMinutes(10);
        _state.PendingEvents.Clear();

        var moved = Ring.RecordActivity(session.Id, new ActivityCommand { Ip = "175.16.199.1", Place = Changchun }, SessionScope.All, _now).Session!;

        Assert.Equal([RiskSignals.NewCountry, RiskSignals.ImpossibleTravel], moved.Risk!.Signals);
        Assert.Equal(new SessionRisk(moved.Risk.Signals, 90, _now) { PreviousScore = 0 }, moved.Risk); // the score before the signals came
        var risk = Assert.Single(_state.PendingEvents);
        Assert.Equal((SessionEventType.Risk, moved), (risk.Type, risk.Data));

        // The same address again: nothing is evaluated. Back in London later: the signals raised stay.
        _state.PendingEvents.Clear();
        Assert.Same(moved.Risk, Ring.RecordActivity(session.Id, new ActivityCommand { Ip = "175.16.199.1", Place = Changchun }, SessionScope.All, _now).Session!.Risk);
        _now += TimeSpan.FromHours(12); // 8,100 km in 12 hours: possible
        var back = Ring.RecordActivity(session.Id, new ActivityCommand { Ip = "81.2.69.142", Place = London }, SessionScope.All, _now).Session!;
        Assert.Equal(moved.Risk.Signals, back.Risk!.Signals);
        Assert.Equal(_now, back.Risk.EvaluatedAt);
        Assert.Empty(_state.PendingEvents);
    }

    [Fact]
    public void A_sign_on_with_signals_emits_session_created_then_session_risk()
    {
        SignOn(device: Laptop);

        var risky = SignOn(device: Phone);

        Assert.Equal([SessionEventType.Created, SessionEventType.Created, SessionEventType.Risk], Events());
        Assert.Equal(risky, _state.PendingEvents[^1].Data);
    }

    [Fact]
    public void The_history_is_bounded_and_stored_with_the_users_state()
    {
        _options.Risk.MaxDevices = 3;
        _options.Risk.MaxCountries = 2;
        _options.Risk.MaxPlaces = 2;
        foreach (var (place, i) in new[] { London, Linkoping, Milton, Changchun }.Select((p, i) => (p, i)))
        {
            _now += TimeSpan.FromDays(1);
            SignOn(device: Laptop with { Hash = $"device-{i}" }, place: place);
        }

        Assert.Equal(["device-1", "device-2", "device-3"], _state.Risk.Devices.Select(d => d.Hash));
        Assert.Equal(["US", "CN"], _state.Risk.Countries.Select(c => c.Code));
        Assert.Equal([Changchun.Latitude, Milton.Latitude], _state.Risk.Places.Select(p => (double?)p.Latitude));
        SignOn(device: Laptop with { Hash = "device-3" }, place: Changchun);
        Assert.Equal([_now, _now - TimeSpan.FromDays(1)], _state.Risk.Places.Select(p => p.At)); // seen again: its time moves on

        var json = new JsonSerializerOptions();
        SessionsSiloBuilderExtensions.ConfigureStorageJson(json);
        var stored = JsonSerializer.Serialize(_state, json);
        var loaded = JsonSerializer.Deserialize<UserSessionsState>(stored, json)!;
        Assert.Equal(_state.Risk.Devices, loaded.Risk.Devices);
        Assert.Equal(_state.Risk.Places, loaded.Risk.Places);
        Assert.Contains("\"risk\":{\"devices\":[{\"hash\":\"device-1\"", stored, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_that_could_not_work_stop_the_start_with_their_names()
    {
        var options = new SessionsOptions();
        options.Risk.Weights["sleepy"] = 5;
        options.Risk.Weights[RiskSignals.BotAgent] = 101;
        options.Risk.MaxSpeedKmh = 0;

        var result = new SessionsOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Sessions:Risk:Weights:sleepy names no risk signal", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Sessions:Risk:Weights:bot_agent must be between 0 and 100", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("MaxSpeedKmh", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(new SessionsOptionsValidator().Validate(null, new SessionsOptions()).Succeeded);
    }

    private static readonly DeviceInfo Laptop = new("Mozilla/5.0 (Windows NT 10.0)", new BrowserInfo("Chrome", "131", "131"), new OsInfo("Windows", "10"), "desktop", null, null, "laptop");
    private static readonly DeviceInfo Phone = Laptop with { Os = new OsInfo("iOS", "18"), Type = "mobile", Hash = "phone" };
    private static readonly DeviceInfo Tablet = Laptop with { Type = "tablet", Hash = "tablet" };
    private static readonly DeviceInfo Watch = Laptop with { Type = "wearable", Hash = "watch" };

    private Session SignOn(DeviceInfo? device = null, Place? place = null, string method = "password", TimeSpan? idleTimeout = null, TenantPolicy? policy = null)
    {
        var command = Commands.SignOn(method: method, idleTimeout: idleTimeout) with { Device = device ?? Laptop, Place = place };
        var result = Ring.SignOn(command, SessionScope.All, _now, policy);
        Assert.Equal(SessionError.None, result.Error);
        return result.Session!;
    }

    private SessionEventType[] Events() => [.. _state.PendingEvents.Select(e => e.Type)];
}
