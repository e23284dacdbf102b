using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Sessions.Grains.Tests.Users;
using Orleans.Sessions.Hosting;
using Orleans.Sessions.Storage;
using Orleans.Sessions.Testing;
using Orleans.Sessions.Users;
using Orleans.Storage;

namespace Orleans.Sessions.Grains.Tests.Storage;

public sealed class SqliteGrainStorageTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddSerializer().AddMetrics().BuildServiceProvider();
    private SqliteGrainStorage _storage = null!;
    private IGrainStorageSerializer _serializer = null!;
    private Func<CancellationToken, Task> _stop = null!;

    public async ValueTask InitializeAsync()
    {
        var json = new SystemTextJsonGrainStorageSerializerOptions();
        SessionsSiloBuilderExtensions.ConfigureStorageJson(json.JsonSerializerOptions);
        _serializer = new SystemTextJsonGrainStorageSerializer(Options.Create(json));
        _storage = new SqliteGrainStorage(
            "test",
            new SqliteStateStoreOptions { DataDirectory = _directory.Path },
            _serializer,
            _services.GetRequiredService<IActivatorProvider>(),
            new StorageMetrics(_services.GetRequiredService<IMeterFactory>()),
            NullLogger<SqliteGrainStorage>.Instance);
        var lifecycle = new CapturingLifecycle();
        _storage.Participate(lifecycle);
        _stop = lifecycle.OnStop!;
        await lifecycle.OnStart!(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop(CancellationToken.None);
        await _services.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task State_round_trips_and_the_etag_follows_each_write()
    {
        var grainId = GrainId.Create("usersessions", "acme/alice");
        var written = new GrainState<UserSessionsState> { State = SampleState() };
        await _storage.WriteStateAsync("user-sessions", grainId, written);
        var firstETag = written.ETag;
        written.State!.UserName = "alice2";
        await _storage.WriteStateAsync("user-sessions", grainId, written);

        var read = new GrainState<UserSessionsState>();
        await _storage.ReadStateAsync("user-sessions", grainId, read);

        Assert.NotNull(firstETag);
        Assert.NotEqual(firstETag, written.ETag);
        Assert.Equal(written.ETag, read.ETag);
        Assert.True(read.RecordExists);
        Assert.Equal("alice2", read.State!.UserName);
        var expected = written.State.Sessions[0];
        var actual = Assert.Single(read.State.Sessions);
        Assert.Equal(expected.TokenHash, actual.TokenHash);
        Assert.Equal(expected.IdleTimeout, actual.IdleTimeout);
        Assert.Equal(expected.Session.SignOns, actual.Session.SignOns);
        Assert.Equal(expected.Session.Locations, actual.Session.Locations);
        Assert.Equal(expected.Session.ClientIds, actual.Session.ClientIds);
        // Records compare arrays by reference; with the arrays checked above, the rest must match exactly.
        Assert.Equal(expected.Session, actual.Session with { SignOns = expected.Session.SignOns, Locations = expected.Session.Locations, ClientIds = expected.Session.ClientIds });
    }

    [Fact]
    public async Task Each_commit_records_its_duration_and_how_many_writes_it_carried()
    {
        var meters = _services.GetRequiredService<IMeterFactory>();
        var durations = new ConcurrentQueue<(double Value, string? Storage)>();
        var writes = new ConcurrentQueue<(int Value, string? Storage)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Name.StartsWith("sessions.storage.commit.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => durations.Enqueue((value, StorageTag(tags))));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => writes.Enqueue((value, StorageTag(tags))));
        listener.Start();

        // Forty writes at once: the group-commit writer carries them in fewer commits than writes.
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            _storage.WriteStateAsync("user-sessions", GrainId.Create("usersessions", $"acme/metrics-{i}"), new GrainState<UserSessionsState> { State = SampleState() })));

        Assert.Equal(40, writes.Sum(w => w.Value));
        Assert.Equal(writes.Count, durations.Count);
        Assert.All(durations, d => Assert.True(d.Value > 0 && d.Storage == "sqlite", $"{d}"));
        Assert.All(writes, w => Assert.Equal("sqlite", w.Storage));

        static string? StorageTag(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "storage")
                {
                    return tag.Value as string;
                }
            }

            return null;
        }
    }

    [Fact]
    public async Task A_states_pending_events_go_into_the_event_log_in_the_same_write_and_not_into_its_payload()
    {
        var state = new UserSessionsState();
        var ring = new SessionRing("acme", "outbox", state, new SessionsOptions());
        var session = ring.SignOn(Commands.SignOn(ip: "198.51.100.7"), SessionScope.All, DateTimeOffset.UtcNow).Session!;
        var grainId = GrainId.Create("usersessions", "acme/outbox");

        await _storage.WriteStateAsync("user-sessions", grainId, new GrainState<UserSessionsState> { State = state });

        var row = await _storage.Store.ReadAsync(SqliteGrainStorage.Key("user-sessions", grainId), TestContext.Current.CancellationToken);
        Assert.DoesNotContain("\"pendingEvents\":[{", Encoding.UTF8.GetString(row!.Value.Payload!), StringComparison.Ordinal);
        Assert.Single(state.PendingEvents); // Put back for the grain, which clears them once the write succeeded.
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(_storage.Store.ReadConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT type, session_id, user_id FROM session_events";
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken));
        Assert.Equal(("session.created", session.Id, "outbox"), (reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        Assert.False(await reader.ReadAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_missing_record_reads_as_a_fresh_state_without_an_etag()
    {
        var read = new GrainState<UserSessionsState>();
        await _storage.ReadStateAsync("user-sessions", GrainId.Create("usersessions", "acme/nobody"), read);

        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.NotNull(read.State);
        Assert.Empty(read.State.Sessions);
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_is_an_inconsistent_state()
    {
        var grainId = GrainId.Create("usersessions", "acme/bob");
        var first = new GrainState<UserSessionsState> { State = SampleState() };
        await _storage.WriteStateAsync("user-sessions", grainId, first);
        var second = new GrainState<UserSessionsState>();
        await _storage.ReadStateAsync("user-sessions", grainId, second);
        await _storage.WriteStateAsync("user-sessions", grainId, second);

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("user-sessions", grainId, first));
        var fresh = new GrainState<UserSessionsState> { State = SampleState() };
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("user-sessions", grainId, fresh));
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.ClearStateAsync("user-sessions", grainId, first));
    }

    [Fact]
    public async Task The_stored_payloads_are_camel_case_json_without_dotnet_type_names()
    {
        var grainId = GrainId.Create("usersessions", "acme/carol");
        await _storage.WriteStateAsync("user-sessions", grainId, new GrainState<UserSessionsState> { State = SampleState() });

        var (row, parts) = await _storage.Store.ReadWithPartsAsync($"user-sessions|{grainId}", TestContext.Current.CancellationToken);
        var head = Encoding.UTF8.GetString(row!.Value.Payload!);
        var part = Encoding.UTF8.GetString(Assert.Single(parts));

        Assert.StartsWith("{\"sessions\":[],\"userName\":\"alice\"", head, StringComparison.Ordinal);
        Assert.StartsWith("{\"session\":{\"id\":", part, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"active\"", part, StringComparison.Ordinal);
        foreach (var json in new[] { head, part })
        {
            Assert.DoesNotContain("$type", json, StringComparison.Ordinal);
            Assert.DoesNotContain("Orleans.Sessions", json, StringComparison.Ordinal);
            Assert.DoesNotContain("System.", json, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_row_stored_before_places_were_separate_from_locations_loads()
    {
        // A row as written before sign-on commands carried a place instead of a location: the stored shape is the same.
        const string Row = """
            {"sessions":[{"session":{"id":"01M81J18G09EHMG7W3R4R35M7N","tenant":"acme","userId":"alice","status":"active",
            "createdAt":"2026-11-22T12:00:00+00:00","activeAt":"2026-11-22T12:00:00+00:00","expiresAt":"2026-11-23T12:00:00+00:00",
            "idleExpiresAt":"2026-11-22T12:30:00+00:00","authMethod":"password","clientIds":["web"],
            "device":{"userAgent":"Mozilla/5.0 (test)","browser":{"name":"Other"},"os":{"name":"Other"},"type":"other","hash":"hash"},
            "lastSignOn":{"at":"2026-11-22T12:00:00+00:00","ip":"81.2.69.142","method":"password"},
            "signOns":[{"at":"2026-11-22T12:00:00+00:00","ip":"81.2.69.142","method":"password"}],
            "locations":[{"at":"2026-11-22T12:00:00+00:00","ip":"81.2.69.142","city":"London","region":"England","country":"United Kingdom","countryCode":"GB","latitude":51.5142,"longitude":-0.0931}],
            "effectiveExpiry":"2026-11-22T12:30:00+00:00"},
            "tokenHash":"f33508cfda16c0e36a91a57222ff0ba0963a4532625804999ba6e37a21827c6e","idleTimeout":"00:30:00"}],
            "userName":"alice","lastSessionId":"01M81J18G09EHMG7W3R4R35M7N","directoryRevision":0}
            """;
        var grainId = GrainId.Create("usersessions", "acme/alice");
        await _storage.Store.WriteAsync(SqliteGrainStorage.Key("user-sessions", grainId), Encoding.UTF8.GetBytes(Row), null);

        var read = new GrainState<UserSessionsState>();
        await _storage.ReadStateAsync("user-sessions", grainId, read);

        var session = Assert.Single(read.State!.Sessions).Session;
        AssertStoredSession(session);
        Assert.Equal("alice", read.State.UserName);

        // Its next write keeps the ring in parts: the head no longer carries it, and it reads back the same.
        await _storage.WriteStateAsync("user-sessions", grainId, read);
        var (head, parts) = await _storage.Store.ReadWithPartsAsync(SqliteGrainStorage.Key("user-sessions", grainId), TestContext.Current.CancellationToken);
        Assert.Contains("\"sessions\":[]", Encoding.UTF8.GetString(head!.Value.Payload!), StringComparison.Ordinal);
        Assert.Single(parts);
        var again = new GrainState<UserSessionsState>();
        await _storage.ReadStateAsync("user-sessions", grainId, again);
        AssertStoredSession(Assert.Single(again.State!.Sessions).Session);
    }

    [Fact]
    public async Task A_sign_on_writes_its_own_session_and_an_activity_only_the_session_it_touched()
    {
        var grainId = GrainId.Create("usersessions", "acme/parts");
        var state = new GrainState<UserSessionsState> { State = new UserSessionsState() };
        var ring = new SessionRing("acme", "parts", state.State, new SessionsOptions());
        var now = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(ring.SignOn(Commands.SignOn(), SessionScope.All, now.AddMinutes(i)).Session!.Id);
        }

        Assert.Equal(ids, Upserts(state.State));
        await _storage.WriteStateAsync("user-sessions", grainId, state);
        Assert.Empty(Upserts(state.State));

        ids.Add(ring.SignOn(Commands.SignOn(), SessionScope.All, now.AddMinutes(3)).Session!.Id);
        Assert.Equal([ids[3]], Upserts(state.State));
        await _storage.WriteStateAsync("user-sessions", grainId, state);

        ring.RecordActivity(ids[1], Commands.Activity(ip: "198.51.100.9"), SessionScope.All, now.AddMinutes(4));
        Assert.Equal([ids[1]], Upserts(state.State));
        await _storage.WriteStateAsync("user-sessions", grainId, state);

        var read = new GrainState<UserSessionsState>();
        await _storage.ReadStateAsync("user-sessions", grainId, read);
        Assert.Equal(ids, read.State!.Sessions.Select(s => s.Session.Id));
        Assert.Equal("198.51.100.9", read.State.Sessions[1].Session.Locations[0].Ip);
        Assert.Equal(state.State.Sessions.Select(s => s.TokenHash), read.State.Sessions.Select(s => s.TokenHash));
        Assert.Empty(Upserts(read.State));
    }

    [Fact]
    public async Task Sessions_that_leave_a_full_ring_leave_the_stored_parts()
    {
        var grainId = GrainId.Create("usersessions", "acme/full");
        var state = new GrainState<UserSessionsState> { State = new UserSessionsState() };
        var ring = new SessionRing("acme", "full", state.State, new SessionsOptions { MaxSessionsPerUser = 3 });
        var now = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 7; i++)
        {
            ring.SignOn(Commands.SignOn(), SessionScope.All, now.AddMinutes(i));
            if (i % 2 == 0)
            {
                await _storage.WriteStateAsync("user-sessions", grainId, state);
            }
        }

        await _storage.WriteStateAsync("user-sessions", grainId, state);

        var (_, parts) = await _storage.Store.ReadWithPartsAsync(SqliteGrainStorage.Key("user-sessions", grainId), TestContext.Current.CancellationToken);
        Assert.Equal(3, parts.Count);
        var read = new GrainState<UserSessionsState>();
        await _storage.ReadStateAsync("user-sessions", grainId, read);
        Assert.Equal(state.State.Sessions.Select(s => s.Session.Id), read.State!.Sessions.Select(s => s.Session.Id));
    }

    [Fact]
    public async Task A_write_that_failed_leaves_its_sessions_to_the_next_and_a_cleared_state_has_no_parts()
    {
        var grainId = GrainId.Create("usersessions", "acme/stale");
        var current = new GrainState<UserSessionsState> { State = SampleState() };
        await _storage.WriteStateAsync("user-sessions", grainId, current);
        var stale = new GrainState<UserSessionsState> { State = SampleState() };

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("user-sessions", grainId, stale));
        Assert.Single(Upserts(stale.State!));

        await _storage.ClearStateAsync("user-sessions", grainId, current);
        var (row, parts) = await _storage.Store.ReadWithPartsAsync(SqliteGrainStorage.Key("user-sessions", grainId), TestContext.Current.CancellationToken);
        Assert.Null(row!.Value.Payload);
        Assert.Empty(parts);
        var read = new GrainState<UserSessionsState>();
        await _storage.ReadStateAsync("user-sessions", grainId, read);
        Assert.Empty(read.State!.Sessions);
    }

    private List<string> Upserts(UserSessionsState state) =>
        [.. ((IPartedState)state).ChangedParts(_serializer).Upserts.Select(p => p.Key)];

    private static void AssertStoredSession(Session session)
    {
        var at = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(
            new GeoLocation(at, "81.2.69.142", "London", "England", "United Kingdom", "GB", 51.5142, -0.0931),
            Assert.Single(session.Locations));
        Assert.Equal(new SignOnEvent(at, "81.2.69.142", "password"), session.LastSignOn);
        Assert.Equal(("01M81J18G09EHMG7W3R4R35M7N", SessionStatus.Active), (session.Id, session.Status));
    }

    private static UserSessionsState SampleState()
    {
        var state = new UserSessionsState();
        var ring = new SessionRing("acme", "alice", state, new SessionsOptions());
        var now = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
        ring.SignOn(Commands.SignOn(clientId: "web") with { UserName = "alice" }, SessionScope.All, now);
        return state;
    }

    private sealed class CapturingLifecycle : ISiloLifecycle
    {
        public Func<CancellationToken, Task>? OnStart { get; private set; }

        public Func<CancellationToken, Task>? OnStop { get; private set; }

        public int HighestCompletedStage => 0;

        public int LowestStoppedStage => 0;

        public IDisposable Subscribe(string observerName, int stage, ILifecycleObserver observer)
        {
            OnStart = observer.OnStart;
            OnStop = observer.OnStop;
            return new NoopDisposable();
        }

        public void AddHighPriorityStoppingHandler(Func<CancellationToken, Task> handler)
        {
        }

        private sealed class NoopDisposable : IDisposable
        {
            public void Dispose()
            {
            }
        }
    }
}
