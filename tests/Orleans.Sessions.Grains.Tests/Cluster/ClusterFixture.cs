using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Sessions.Hosting;
using Orleans.Sessions.Storage;
using Orleans.Sessions.Testing;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Orleans.Sessions.Grains.Tests.Cluster;

/// <summary>
/// Two in-process silos with the real SQLite grain storage on one database file, shared by the tests of
/// <see cref="ClusterCollection"/>; each test uses its own user keys. Session time is a fake clock that never moves
/// there; a test class that moves it has an <see cref="OwnClockClusterFixture"/> to itself. Activity is flushed only on
/// deactivation here (the interval is an hour), so tests can see exactly when it is stored.
/// </summary>
public class ClusterFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    /// <summary>
    /// Session time on both silos (Orleans itself keeps the real clock). Only <see cref="OwnClockClusterFixture"/> lets tests
    /// move it, so on a cluster that several test classes share it stays where it starts.
    /// </summary>
    private protected FakeTimeProvider SessionClock { get; } = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>Settings of a derived fixture on top of the defaults above.</summary>
    protected virtual IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>();

    public async ValueTask InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Sessions:DataDirectory"] = _data.Path,
            ["Sessions:ActivityFlushInterval"] = "01:00:00",
        };
        foreach (var (key, value) in ExtraSettings)
        {
            settings[key] = value;
        }

        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            silo.AddSessions(configuration).AddSessionsSqliteStorage(configuration);
            silo.Services.AddKeyedSingleton<TimeProvider>(SessionsClock.Key, SessionClock);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        _data.Dispose();
    }

    /// <summary>
    /// What the storage holds for a grain right now, read through a silo's own storage provider: the head's JSON, then
    /// each part's on a line of its own.
    /// </summary>
    public async Task<string?> ReadStoredJsonAsync(IAddressable grain)
    {
        var silo = Cluster.Silos[0];
        var storage = (SqliteGrainStorage)Cluster.GetSiloServiceProvider(silo.SiloAddress).GetRequiredKeyedService<IGrainStorage>(SessionsStorage.Name);
        var (row, parts) = await storage.Store.ReadWithPartsAsync($"user-sessions|{grain.GetGrainId()}");
        return row is { } stored
            ? string.Join('\n', parts.Prepend(stored.Payload!).Select(p => System.Text.Encoding.UTF8.GetString(p)))
            : null;
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
