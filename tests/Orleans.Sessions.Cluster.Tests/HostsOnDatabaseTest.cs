namespace Orleans.Sessions.Cluster.Tests;

/// <summary>
/// A test that runs hosts as processes on a migrated PostgreSQL database of its own: the database, the hosts it started,
/// and their disposal (hosts first, then the database).
/// </summary>
public abstract class HostsOnDatabaseTest : IAsyncLifetime
{
    protected PostgresDatabase Database { get; } = new();

    protected List<HostProcess> Hosts { get; } = [];

    public async ValueTask InitializeAsync()
    {
        await Database.InitializeAsync();
        await Database.MigrateAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in Hosts)
        {
            await host.DisposeAsync();
        }

        await Database.DisposeAsync();
    }

    /// <summary>Awaits a host's start and keeps it for disposal.</summary>
    protected async Task<HostProcess> StartAsync(Task<HostProcess> starting)
    {
        var host = await starting;
        Hosts.Add(host);
        return host;
    }
}
