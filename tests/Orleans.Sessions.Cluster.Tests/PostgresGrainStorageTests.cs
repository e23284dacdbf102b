using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Sessions.Hosting;
using Orleans.Sessions.Storage;
using Orleans.Sessions.Users;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Orleans.Sessions.Cluster.Tests;

/// <summary>
/// The project's PostgreSQL grain storage (silo-config/sql/0003) on a silo: a session a row, events in the same
/// transaction, writes sharing transactions — and each write's version checked on its own.
/// </summary>
public sealed class PostgresGrainStorageTests : IAsyncLifetime
{
    private const string ServiceId = "storage-tests";
    private readonly PostgresDatabase _database = new();
    private InProcessTestCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.MigrateAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sessions:MaxSessionsPerUser"] = "3",
            ["Sessions:Postgres:Writers"] = "2",
        }).Build();
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ServiceId = ServiceId;
        builder.ConfigureSilo((_, silo) => silo
            .AddSessions(configuration)
            .AddSessionsPostgresStorage("Npgsql", _database.ConnectionString, configuration));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _database.DisposeAsync();
    }

    private IGrainStorage Storage => _cluster.GetSiloServiceProvider(_cluster.Silos[0].SiloAddress).GetRequiredKeyedService<IGrainStorage>(SessionsStorage.Name);

    private static string StateKey(string user) => SqliteGrainStorage.Key(UserSessionsNames.StateName, GrainId.Create(UserSessionsNames.GrainType, user));

    [Fact]
    public async Task A_sign_on_stores_its_session_as_a_row_and_its_event_in_the_log_and_a_full_ring_drops_the_oldest_row()
    {
        var grain = _cluster.Client.GetGrain<IUserSessionsGrain>(UserKey.Format("acme", "erin"));
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await grain.SignOnAsync(SignOn($"203.0.113.{i + 1}"), SessionScope.All)).Session!.Id);
        }

        var partKeys = await _database.ColumnAsync<string>(
            "SELECT part_key FROM sessions_grain_state_parts WHERE serviceid = $1 AND state_key = $2 ORDER BY part_key", ServiceId, StateKey("acme/erin"));
        var head = Encoding.UTF8.GetString((await _database.ScalarAsync<byte[]>(
            "SELECT payload FROM sessions_grain_state WHERE serviceid = $1 AND state_key = $2", ServiceId, StateKey("acme/erin")))!);
        var created = await _database.ColumnAsync<string>(
            "SELECT session_id FROM sessions_event_log WHERE serviceid = $1 AND user_id = 'erin' AND type = 'session.created' ORDER BY position", ServiceId);

        Assert.Equal(ids[2..], partKeys);
        Assert.Equal(ids, created);
        Assert.Contains("\"sessions\":[]", head, StringComparison.Ordinal);
        Assert.DoesNotContain("\"pendingEvents\":[{", head, StringComparison.Ordinal);
        Assert.DoesNotContain("$type", head, StringComparison.Ordinal);

        await _cluster.DeactivateAsync(grain);
        var listed = await grain.ListAsync(new SessionQuery(), SessionScope.All);
        Assert.Equal(ids[2..].AsEnumerable().Reverse(), listed.Items.Select(s => s.Id));
        Assert.Equal("203.0.113.5", listed.Items[0].Locations[0].Ip);
    }

    [Fact]
    public async Task State_round_trips_and_each_write_moves_the_etag()
    {
        var grainId = GrainId.Create(UserSessionsNames.GrainType, "acme/alice");
        var state = new GrainState<UserSessionsState> { State = new UserSessionsState { UserName = "alice" } };

        await Storage.WriteStateAsync(UserSessionsNames.StateName, grainId, state);
        var first = state.ETag;
        state.State!.DisplayName = "Alice";
        await Storage.WriteStateAsync(UserSessionsNames.StateName, grainId, state);
        var read = new GrainState<UserSessionsState>();
        await Storage.ReadStateAsync(UserSessionsNames.StateName, grainId, read);
        var missing = new GrainState<UserSessionsState>();
        await Storage.ReadStateAsync(UserSessionsNames.StateName, GrainId.Create(UserSessionsNames.GrainType, "acme/nobody"), missing);

        Assert.Equal(("1", "2"), (first, state.ETag));
        Assert.Equal(("2", true), (read.ETag, read.RecordExists));
        Assert.Equal(("alice", "Alice"), (read.State!.UserName, read.State.DisplayName));
        Assert.Equal((null, false), (missing.ETag, missing.RecordExists));
        Assert.NotNull(missing.State);
    }

    [Fact]
    public async Task A_stale_write_in_a_batch_of_good_ones_fails_alone_and_changes_nothing()
    {
        var staleId = GrainId.Create(UserSessionsNames.GrainType, "acme/bob");
        var current = new GrainState<UserSessionsState> { State = new UserSessionsState { UserName = "v1" } };
        await Storage.WriteStateAsync(UserSessionsNames.StateName, staleId, current);
        var stale = new GrainState<UserSessionsState> { State = new UserSessionsState { UserName = "stale" }, ETag = current.ETag };
        current.State!.UserName = "v2";
        await Storage.WriteStateAsync(UserSessionsNames.StateName, staleId, current);

        // Forty writes queued at once share transactions; the stale one among them must fail and only it.
        var others = Enumerable.Range(0, 40).Select(i => Storage.WriteStateAsync(
            UserSessionsNames.StateName,
            GrainId.Create(UserSessionsNames.GrainType, $"acme/batch{i}"),
            new GrainState<UserSessionsState> { State = new UserSessionsState { UserName = $"b{i}" } })).ToList();
        var staleWrite = Storage.WriteStateAsync(UserSessionsNames.StateName, staleId, stale);
        await Task.WhenAll(others);
        await Assert.ThrowsAsync<InconsistentStateException>(() => staleWrite);
        var fresh = new GrainState<UserSessionsState> { State = new UserSessionsState { UserName = "second insert" } };
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(UserSessionsNames.StateName, staleId, fresh));

        var read = new GrainState<UserSessionsState>();
        await Storage.ReadStateAsync(UserSessionsNames.StateName, staleId, read);
        Assert.Equal(("v2", "2"), (read.State!.UserName, read.ETag));
        Assert.Equal(40L, await _database.ScalarAsync<long>(
            "SELECT count(*) FROM sessions_grain_state WHERE serviceid = $1 AND starts_with(state_key, $2)", ServiceId, StateKey("acme/batch")));
    }

    [Fact]
    public async Task Concurrent_first_writes_of_one_grain_let_exactly_one_win()
    {
        var grainId = GrainId.Create(UserSessionsNames.GrainType, "acme/race");
        var writes = Enumerable.Range(0, 8).Select(async i =>
        {
            try
            {
                await Storage.WriteStateAsync(UserSessionsNames.StateName, grainId, new GrainState<UserSessionsState> { State = new UserSessionsState { UserName = $"w{i}" } });
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        });

        var outcomes = await Task.WhenAll(writes);

        Assert.Single(outcomes, won => won);
        Assert.Equal(1L, await _database.ScalarAsync<long>("SELECT count(*) FROM sessions_grain_state WHERE state_key = $1", StateKey("acme/race")));
    }

    [Fact]
    public async Task Clearing_leaves_a_versioned_row_without_parts_so_stale_writers_still_conflict()
    {
        var grain = _cluster.Client.GetGrain<IUserSessionsGrain>(UserKey.Format("acme", "carol"));
        await grain.SignOnAsync(SignOn("198.51.100.1"), SessionScope.All);
        await _cluster.DeactivateAsync(grain);
        var grainId = GrainId.Create(UserSessionsNames.GrainType, "acme/carol");
        var state = new GrainState<UserSessionsState>();
        await Storage.ReadStateAsync(UserSessionsNames.StateName, grainId, state);
        var stale = new GrainState<UserSessionsState> { State = new UserSessionsState(), ETag = state.ETag };

        await Storage.ClearStateAsync(UserSessionsNames.StateName, grainId, state);
        var cleared = new GrainState<UserSessionsState>();
        await Storage.ReadStateAsync(UserSessionsNames.StateName, grainId, cleared);
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(UserSessionsNames.StateName, grainId, stale));
        await Storage.WriteStateAsync(UserSessionsNames.StateName, grainId, state);

        Assert.Equal(("2", false), (cleared.ETag, cleared.RecordExists));
        Assert.Empty(cleared.State!.Sessions);
        Assert.Equal("3", state.ETag);
        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM sessions_grain_state_parts WHERE state_key = $1", StateKey("acme/carol")));
    }

    internal static SignOnCommand SignOn(string ip) => new()
    {
        Ip = ip,
        AuthMethod = "password",
        Device = new DeviceInfo("ua", new BrowserInfo("Other", null, null), new OsInfo("Other", null), "other", null, null, "h"),
    };
}
