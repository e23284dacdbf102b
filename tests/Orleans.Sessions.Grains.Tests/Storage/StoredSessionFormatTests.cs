using System.Text;
using Orleans.Sessions.Grains.Tests.Users;
using Orleans.Sessions.Users;
using Orleans.Storage;

namespace Orleans.Sessions.Grains.Tests.Storage;

/// <summary>The stored format of a session across versions: fields are added, never renamed, and old rows still load.</summary>
public sealed class StoredSessionFormatTests
{
    /// <summary>
    /// A user's row as written before sessions kept <c>creationIp</c>: signed on from 198.51.100.7, then
    /// re-authenticated from 203.0.113.9.
    /// </summary>
    private const string RowWithoutCreationIp = """
        {"sessions":[{"session":{"id":"01M81J18G0VMN7YN6GJN8B5ZQF","tenant":"acme","userId":"alice","status":"active",
        "createdAt":"2026-11-22T12:00:00+00:00","activeAt":"2026-11-22T12:05:00+00:00","expiresAt":"2026-11-23T12:00:00+00:00",
        "idleExpiresAt":"2026-11-22T12:35:00+00:00","authMethod":"password","clientIds":["web"],
        "device":{"userAgent":"Mozilla/5.0 (test)","browser":{"name":"Other"},"os":{"name":"Other"},"type":"other","hash":"hash"},
        "lastSignOn":{"at":"2026-11-22T12:05:00+00:00","ip":"203.0.113.9","method":"mfa"},
        "signOns":[{"at":"2026-11-22T12:05:00+00:00","ip":"203.0.113.9","method":"mfa"},{"at":"2026-11-22T12:00:00+00:00","ip":"198.51.100.7","method":"password"}],
        "locations":[{"at":"2026-11-22T12:05:00+00:00","ip":"203.0.113.9"},{"at":"2026-11-22T12:00:00+00:00","ip":"198.51.100.7"}],
        "effectiveExpiry":"2026-11-22T12:35:00+00:00"},"tokenHash":"hash","idleTimeout":"00:30:00"}],
        "userName":"alice","lastSessionId":"01M81J18G0VMN7YN6GJN8B5ZQF","directoryRevision":3}
        """;

    private static readonly SystemTextJsonGrainStorageSerializer Serializer = StorageJson.Serializer;

    [Fact]
    public void A_row_stored_before_creation_ips_were_kept_still_loads()
    {
        var state = Serializer.Deserialize<UserSessionsState>(new BinaryData(Encoding.UTF8.GetBytes(RowWithoutCreationIp)))!;

        var session = Assert.Single(state.Sessions).Session;
        Assert.Null(session.CreationIp);
        Assert.Equal(("01M81J18G0VMN7YN6GJN8B5ZQF", SessionStatus.Active), (session.Id, session.Status));
        Assert.Equal(new SignOnEvent(new DateTimeOffset(2026, 11, 22, 12, 5, 0, TimeSpan.Zero), "203.0.113.9", "mfa"), session.LastSignOn);
        Assert.Equal(["203.0.113.9", "198.51.100.7"], session.SignOns.Select(s => s.Ip));
        Assert.Equal(["203.0.113.9", "198.51.100.7"], session.Locations.Select(l => l.Ip));
        Assert.Equal(("alice", "01M81J18G0VMN7YN6GJN8B5ZQF", 3L), (state.UserName, state.LastSessionId, state.DirectoryRevision));
        Assert.Empty(state.PendingEvents); // Stored before events existed.
    }

    [Fact]
    public void Risk_networks_and_the_risk_history_are_stored_under_their_names_and_old_rows_load_without_them()
    {
        var state = new UserSessionsState();
        var options = new SessionsOptions();
        var ring = new SessionRing("acme", "alice", state, options, risk: new Orleans.Sessions.Risk.RiskEvaluator(Microsoft.Extensions.Options.Options.Create(options)));
        var place = new Place("London", "England", "United Kingdom", "GB", 51.5142, -0.0931)
        {
            Network = new NetworkInfo { Asn = 2856, Organization = "BT", Anonymous = true, Hosting = false, Anonymizers = ["vpn"] },
        };
        var at = new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
        var signedOn = ring.SignOn(Commands.SignOn(ip: "81.2.69.142") with { Place = place }, SessionScope.All, at).Session!;

        var json = Encoding.UTF8.GetString(Serializer.Serialize(state).ToArray());
        Assert.Contains("\"network\":{\"asn\":2856,\"organization\":\"BT\",\"anonymous\":true,\"hosting\":false,\"anonymizers\":[\"vpn\"]}", json, StringComparison.Ordinal);
        Assert.Contains("\"risk\":{\"signals\":[\"anonymous_network\"],\"score\":30,\"evaluatedAt\":\"2026-12-03T12:00:00+00:00\"}", json, StringComparison.Ordinal);
        Assert.Contains("\"risk\":{\"devices\":[{\"hash\":\"hash\",\"lastSeen\":\"2026-12-03T12:00:00+00:00\"}],\"countries\":[{\"code\":\"GB\"", json, StringComparison.Ordinal);

        var loaded = Serializer.Deserialize<UserSessionsState>(new BinaryData(Encoding.UTF8.GetBytes(json)))!;
        Assert.Equal(signedOn.Risk, Assert.Single(loaded.Sessions).Session.Risk);
        Assert.Equal(place.Network, loaded.Sessions[0].Session.Locations[0].Network);
        Assert.Equal(state.Risk.Places, loaded.Risk.Places);

        var old = Serializer.Deserialize<UserSessionsState>(new BinaryData(Encoding.UTF8.GetBytes(RowWithoutCreationIp)))!;
        Assert.Null(old.Sessions[0].Session.Risk);
        Assert.All(old.Sessions[0].Session.Locations, l => Assert.Null(l.Network));
        Assert.Empty(old.Risk.Devices);
    }

    [Fact]
    public void Metadata_is_stored_as_the_plain_object_it_was_given_and_loads_back_unchanged()
    {
        var state = new UserSessionsState();
        var ring = new SessionRing("acme", "alice", state, new SessionsOptions());
        var metadata = System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(
        [
            KeyValuePair.Create("plan", MetadataValue.Of("pro")),
            KeyValuePair.Create("seats", new MetadataValue(MetadataKind.Number, "5.10")),
            KeyValuePair.Create("kiosk", MetadataValue.Of(false)),
        ]);
        ring.SignOn(Commands.SignOn(ip: "198.51.100.7") with { Metadata = metadata }, SessionScope.All, new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));

        var json = Encoding.UTF8.GetString(Serializer.Serialize(state).ToArray());
        Assert.Contains("\"metadata\":{\"kiosk\":false,\"plan\":\"pro\",\"seats\":5.10}", json, StringComparison.Ordinal); // 5.10 as given, not 5.1.

        var loaded = Serializer.Deserialize<UserSessionsState>(new BinaryData(Encoding.UTF8.GetBytes(json)))!;
        Assert.Equal(metadata, Assert.Single(loaded.Sessions).Session.Metadata!);
        Assert.Null(Serializer.Deserialize<UserSessionsState>(new BinaryData(Encoding.UTF8.GetBytes(RowWithoutCreationIp)))!.Sessions[0].Session.Metadata);
    }

    [Fact]
    public void Pending_events_are_stored_under_the_names_the_event_log_reads()
    {
        var state = new UserSessionsState();
        var ring = new SessionRing("acme", "alice", state, new SessionsOptions());
        var now = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
        var session = ring.SignOn(Commands.SignOn(ip: "198.51.100.7"), SessionScope.All, now).Session!;

        var json = Encoding.UTF8.GetString(Serializer.Serialize(state).ToArray());

        // silo-config/sql/0002 finds the events by this text and reads these members; the SQLite writer gets them as objects.
        Assert.Contains("\"pendingEvents\":[{", json, StringComparison.Ordinal);
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var stored = Assert.Single(document.RootElement.GetProperty("pendingEvents").EnumerateArray());
        Assert.Equal("created", stored.GetProperty("type").GetString());
        Assert.Equal(("acme", "alice", session.Id), (stored.GetProperty("tenant").GetString(), stored.GetProperty("userId").GetString(), stored.GetProperty("sessionId").GetString()));
        Assert.Equal(now, stored.GetProperty("occurredAt").GetDateTimeOffset());
        Assert.Equal(26, stored.GetProperty("id").GetString()!.Length);
        Assert.Equal(session.Id, stored.GetProperty("data").GetProperty("id").GetString());
    }

    /// <summary>An event as the event log holds it (PostgreSQL re-serializes it through jsonb: other member order, spaces).</summary>
    private const string LoggedEvent = """
        {"id": "01M81J18G0AAAAAAAAAAAAAAAA", "data": {"id": "01M81J18G0VMN7YN6GJN8B5ZQF", "end": {"by": "k-admin", "reason": "lost"},
        "tenant": "acme", "userId": "alice", "status": "revoked", "createdAt": "2026-11-22T12:00:00+00:00", "activeAt": "2026-11-22T12:00:00+00:00",
        "expiresAt": "2026-11-23T12:00:00+00:00", "idleExpiresAt": "2026-11-22T12:30:00+00:00", "endedAt": "2026-11-22T12:10:00+00:00",
        "authMethod": "password", "device": {"type": "other", "os": {"name": "Other"}, "browser": {"name": "Other"}},
        "lastSignOn": {"at": "2026-11-22T12:00:00+00:00", "ip": "198.51.100.7", "method": "password"}},
        "type": "revoked", "tenant": "acme", "userId": "alice", "sessionId": "01M81J18G0VMN7YN6GJN8B5ZQF", "occurredAt": "2026-11-22T12:10:00+00:00"}
        """;

    [Fact]
    public void An_event_from_the_log_loads()
    {
        var loaded = Serializer.Deserialize<Orleans.Sessions.Events.SessionEvent>(new BinaryData(Encoding.UTF8.GetBytes(LoggedEvent)))!;

        Assert.Equal(Orleans.Sessions.Events.SessionEventType.Revoked, loaded.Type);
        Assert.Equal(("acme", "alice", "01M81J18G0VMN7YN6GJN8B5ZQF"), (loaded.Tenant, loaded.UserId, loaded.SessionId));
        Assert.Equal(new SessionEnd("k-admin", "lost"), loaded.Data.End);
        Assert.Equal(SessionStatus.Revoked, loaded.Data.Status);
    }

    [Fact]
    public void A_new_row_stores_the_creation_ip_under_its_own_name()
    {
        var state = new UserSessionsState();
        var ring = new SessionRing("acme", "alice", state, new SessionsOptions());
        var now = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
        ring.SignOn(Commands.SignOn(ip: "198.51.100.7"), SessionScope.All, now);

        var json = Encoding.UTF8.GetString(Serializer.Serialize(state).ToArray());
        var read = Serializer.Deserialize<UserSessionsState>(new BinaryData(Encoding.UTF8.GetBytes(json)))!;

        Assert.Contains("\"creationIp\":\"198.51.100.7\"", json, StringComparison.Ordinal);
        Assert.Equal("198.51.100.7", Assert.Single(read.Sessions).Session.CreationIp);
    }
}
