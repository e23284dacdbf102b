using Orleans.Configuration;
using Orleans.Sessions.Hosting;

namespace Orleans.Sessions.Gateway;

/// <summary>
/// The gateway's Orleans client, as the cluster profile says: it finds the silos' gateways through the
/// PostgreSQL membership table for a cluster, or a local silo's gateway port for the embedded single node.
/// </summary>
public static class GatewayHost
{
    public static WebApplicationBuilder AddSessionsClient(this WebApplicationBuilder builder, ClusterProfile profile)
    {
        builder.UseOrleansClient(client =>
        {
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
