using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Sessions.Hosting;
using Orleans.Sessions.SessionDirectory;
using Orleans.Sessions.Users;
using Orleans.TestingHost;

namespace Orleans.Sessions.Cluster.Tests;

/// <summary>
/// A cluster that ran on Orleans' ADO.NET grain storage and restarts on the project's (docs/operations.md, "Grain
/// storage on PostgreSQL"): every user it stored loads, moves on its first write, and does not come back once cleared.
/// </summary>
public sealed class PostgresStorageSwitchTests : IAsyncLifetime
{
    private const string ServiceId = "switch-tests";
    private readonly PostgresDatabase _database = new();

    public async ValueTask InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.MigrateAsync();
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Users_stored_by_the_adonet_storage_load_move_on_their_first_write_and_stay_listed()
    {
        var configuration = new ConfigurationBuilder().Build();
        string before;
        await using (var old = await StartAsync(silo => silo.AddSessions(configuration).AddSessionsAdoNetStorage("Npgsql", _database.ConnectionString)))
        {
            var grain = old.Client.GetGrain<IUserSessionsGrain>(UserKey.Format("acme", "frank"));
            before = (await grain.SignOnAsync(PostgresGrainStorageTests.SignOn("192.0.2.1"), SessionScope.All)).Session!.Id;
            await old.Client.GetGrain<IUserSessionsGrain>(UserKey.Format("acme", "gina")).SignOnAsync(PostgresGrainStorageTests.SignOn("192.0.2.2"), SessionScope.All);
        }

        await using var cluster = await StartAsync(silo => silo.AddSessions(configuration).AddSessionsPostgresStorage("Npgsql", _database.ConnectionString, configuration));
        var frank = cluster.Client.GetGrain<IUserSessionsGrain>(UserKey.Format("acme", "frank"));
        Assert.Equal([before], (await frank.ListAsync(new SessionQuery(), SessionScope.All)).Items.Select(s => s.Id));

        var after = (await frank.SignOnAsync(PostgresGrainStorageTests.SignOn("192.0.2.3"), SessionScope.All)).Session!.Id;
        await cluster.DeactivateAsync(frank);
        Assert.Equal([after, before], (await frank.ListAsync(new SessionQuery(), SessionScope.All)).Items.Select(s => s.Id));
        Assert.Equal(2L, await _database.ScalarAsync<long>("SELECT count(*) FROM sessions_grain_state_parts WHERE serviceid = $1", ServiceId));

        var users = await new PostgresUserKeySource(_database.ConnectionString, Options.Create(new ClusterOptions { ServiceId = ServiceId }))
            .UserIdsAsync("acme", TestContext.Current.CancellationToken);
        Assert.Equal(["frank", "gina"], users.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_state_cleared_after_the_switch_does_not_come_back_from_the_adonet_storage()
    {
        var configuration = new ConfigurationBuilder().Build();
        await using (var old = await StartAsync(silo => silo.AddSessions(configuration).AddSessionsAdoNetStorage("Npgsql", _database.ConnectionString)))
        {
            await old.Client.GetGrain<IUserSessionsGrain>(UserKey.Format("acme", "hal")).SignOnAsync(PostgresGrainStorageTests.SignOn("192.0.2.4"), SessionScope.All);
        }

        await using var cluster = await StartAsync(silo => silo.AddSessions(configuration).AddSessionsPostgresStorage("Npgsql", _database.ConnectionString, configuration));
        var storage = Microsoft.Extensions.DependencyInjection.ServiceProviderKeyedServiceExtensions.GetRequiredKeyedService<Orleans.Storage.IGrainStorage>(
            cluster.GetSiloServiceProvider(cluster.Silos[0].SiloAddress), Orleans.Sessions.Storage.SessionsStorage.Name);
        var grainId = GrainId.Create(UserSessionsNames.GrainType, "acme/hal");
        var state = new GrainState<UserSessionsState>();
        await storage.ReadStateAsync(UserSessionsNames.StateName, grainId, state);
        Assert.True(state.RecordExists);
        Assert.Single(state.State!.Sessions);

        await storage.ClearStateAsync(UserSessionsNames.StateName, grainId, state);
        var read = new GrainState<UserSessionsState>();
        await storage.ReadStateAsync(UserSessionsNames.StateName, grainId, read);

        Assert.False(read.RecordExists);
        Assert.Empty(read.State!.Sessions);
    }

    private static async Task<InProcessTestCluster> StartAsync(Action<ISiloBuilder> configure)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ServiceId = ServiceId;
        builder.ConfigureSilo((_, silo) => configure(silo));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
