using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Sessions.Hosting;
using Orleans.Sessions.Storage;
using Orleans.Sessions.Users;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Orleans.Sessions.Cluster.Tests;

/// <summary>The project's queries for Orleans' own ADO.NET grain storage provider (<c>Sessions:Postgres:GrainStorage=AdoNet</c>), driven by it on a silo.</summary>
public sealed class AdoNetGrainStorageTests : IAsyncLifetime
{
    private readonly PostgresDatabase _database = new();
    private InProcessTestCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.MigrateAsync();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo
            .AddSessions(new ConfigurationBuilder().Build())
            .AddSessionsAdoNetStorage("Npgsql", _database.ConnectionString));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _database.DisposeAsync();
    }

    private IGrainStorage Storage => _cluster.GetSiloServiceProvider(_cluster.Silos[0].SiloAddress).GetRequiredKeyedService<IGrainStorage>(SessionsStorage.Name);

    [Fact]
    public async Task State_round_trips_and_each_write_moves_the_etag()
    {
        var grainId = GrainId.Create("usersessions", "acme/alice");
        var state = new GrainState<UserSessionsState> { State = new UserSessionsState { UserName = "alice" } };

        await Storage.WriteStateAsync("user-sessions", grainId, state);
        var first = state.ETag;
        state.State!.DisplayName = "Alice";
        await Storage.WriteStateAsync("user-sessions", grainId, state);
        var read = new GrainState<UserSessionsState>();
        await Storage.ReadStateAsync("user-sessions", grainId, read);

        Assert.Equal(("1", "2"), (first, state.ETag));
        Assert.Equal("2", read.ETag);
        Assert.True(read.RecordExists);
        Assert.Equal(("alice", "Alice"), (read.State!.UserName, read.State.DisplayName));
    }

    [Fact]
    public async Task Stale_etags_and_lost_first_writes_are_conflicts_that_change_nothing()
    {
        var grainId = GrainId.Create("usersessions", "acme/bob");
        var original = new GrainState<UserSessionsState> { State = new UserSessionsState { UserName = "v1" } };
        await Storage.WriteStateAsync("user-sessions", grainId, original);
        var other = new GrainState<UserSessionsState>();
        await Storage.ReadStateAsync("user-sessions", grainId, other);
        other.State!.UserName = "v2";
        await Storage.WriteStateAsync("user-sessions", grainId, other);

        original.State!.UserName = "stale";
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("user-sessions", grainId, original));
        var fresh = new GrainState<UserSessionsState> { State = new UserSessionsState { UserName = "second insert" } };
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("user-sessions", grainId, fresh));

        var read = new GrainState<UserSessionsState>();
        await Storage.ReadStateAsync("user-sessions", grainId, read);
        Assert.Equal(("v2", "2"), (read.State!.UserName, read.ETag));
        Assert.Equal(1L, await _database.ScalarAsync<long>("SELECT count(*) FROM orleans_grain_state WHERE grainid_ext = 'acme/bob'"));
    }

    [Fact]
    public async Task Concurrent_first_writes_of_one_grain_let_exactly_one_win()
    {
        var grainId = GrainId.Create("usersessions", "acme/race");
        var writes = Enumerable.Range(0, 8).Select(async i =>
        {
            try
            {
                await Storage.WriteStateAsync("user-sessions", grainId, new GrainState<UserSessionsState> { State = new UserSessionsState { UserName = $"w{i}" } });
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        });

        var outcomes = await Task.WhenAll(writes);

        Assert.Single(outcomes, won => won);
        Assert.Equal(1L, await _database.ScalarAsync<long>("SELECT count(*) FROM orleans_grain_state WHERE grainid_ext = 'acme/race'"));
    }

    [Fact]
    public async Task Clearing_keeps_a_versioned_row_so_stale_writers_still_conflict()
    {
        var grainId = GrainId.Create("usersessions", "acme/carol");
        var state = new GrainState<UserSessionsState> { State = new UserSessionsState { UserName = "carol" } };
        await Storage.WriteStateAsync("user-sessions", grainId, state);
        var stale = new GrainState<UserSessionsState> { State = state.State, ETag = state.ETag };

        await Storage.ClearStateAsync("user-sessions", grainId, state);
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("user-sessions", grainId, stale));
        await Storage.WriteStateAsync("user-sessions", grainId, state);

        var read = new GrainState<UserSessionsState>();
        await Storage.ReadStateAsync("user-sessions", grainId, read);
        Assert.Equal("3", read.ETag);
    }

    [Fact]
    public async Task Sessions_written_by_the_grain_are_json_without_type_names_and_survive_reactivation()
    {
        var grain = _cluster.Client.GetGrain<IUserSessionsGrain>(UserKey.Format("acme", "dave"));
        var signOn = await grain.SignOnAsync(new SignOnCommand
        {
            Ip = "203.0.113.4",
            AuthMethod = "password",
            Device = new DeviceInfo("ua", new BrowserInfo("Other", null, null), new OsInfo("Other", null), "other", null, null, "h"),
        }, SessionScope.All);
        await _cluster.DeactivateAsync(grain);

        var listed = await grain.ListAsync(new SessionQuery(), SessionScope.All);
        var payload = Encoding.UTF8.GetString((await _database.ScalarAsync<byte[]>("SELECT payload FROM orleans_grain_state WHERE grainid_ext = 'acme/dave'"))!);

        Assert.Equal(signOn.Session!.Id, Assert.Single(listed.Items).Id);
        Assert.StartsWith("{\"sessions\":[{\"session\":{\"id\":", payload, StringComparison.Ordinal);
        Assert.DoesNotContain("$type", payload, StringComparison.Ordinal);
        Assert.DoesNotContain("Orleans.Sessions", payload, StringComparison.Ordinal);
    }
}
