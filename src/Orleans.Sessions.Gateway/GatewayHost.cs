using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Sessions.Api.Dashboard;
using Orleans.Sessions.Gateway.Health;
using Orleans.Sessions.Hosting;
using Orleans.Sessions.Hosting.Health;

namespace Orleans.Sessions.Gateway;

/// <summary>
/// The gateway's Orleans client, as the cluster profile says: it finds the silos' gateways through the
/// PostgreSQL membership table for a cluster, or a local silo's gateway port for the embedded single node. Ready
/// while connected to a silo and, for a cluster, while the membership table answers (docs/operations.md, "Health").
/// </summary>
public static class GatewayHost
{
    public static WebApplicationBuilder AddSessionsClient(this WebApplicationBuilder builder, ClusterProfile profile)
    {
        var connection = new ClusterConnectionHealthCheck();
        var health = builder.Services.AddHealthChecks().AddReadinessCheck("cluster", _ => connection);
        if (profile.Storage == StorageKind.Postgres)
        {
            health.AddPostgresReadiness("membership", profile.GatewayPostgresConnection(), SessionsHealth.StorageTimeout(builder.Configuration));
        }

        builder.UseOrleansClient(client =>
        {
            client.AddClusterConnectionStatusObserver(connection);
            if (SessionsDashboard.Enabled(builder.Configuration))
            {
                client.AddDashboard(o => SessionsDashboard.Configure(o, builder.Configuration));
            }
            client.AddActivityPropagation(); // Grain calls join the trace of the request that made them.
            if (profile.Storage == StorageKind.Postgres)
            {
                var connectionString = profile.GatewayPostgresConnection();
                client.UseAdoNetClustering(o =>
                {
                    o.Invariant = ClusterProfile.PostgresInvariant;
                    o.ConnectionString = connectionString;
                });
                client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (profile.ClusterId, profile.ServiceId));
                client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = profile.GatewayListRefreshPeriod);
            }
            else
            {
                client.UseLocalhostClustering(profile.GatewayPort, profile.ServiceId, profile.ClusterId);
            }
        });
        return builder;
    }
}
