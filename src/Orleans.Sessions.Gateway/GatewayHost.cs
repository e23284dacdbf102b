using Orleans.Configuration;

namespace Orleans.Sessions.Gateway;

/// <summary>
/// The gateway's Orleans client: it finds the silos' gateways through the PostgreSQL membership table
/// (<c>Sessions:Storage=Postgres</c>), or a local silo's gateway port for the embedded single node.
/// </summary>
public static class GatewayHost
{
    public static WebApplicationBuilder AddSessionsClient(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var orleans = configuration.GetSection("Orleans");
        var serviceId = orleans["ServiceId"] ?? "orleans-sessions";
        var clusterId = orleans["ClusterId"] ?? "dev";
        builder.UseOrleansClient(client =>
        {
            client.AddActivityPropagation(); // Grain calls join the trace of the request that made them.
            if (string.Equals(configuration["Sessions:Storage"], "Postgres", StringComparison.OrdinalIgnoreCase))
            {
                var connectionString = ConnectionString(configuration);
                client.UseAdoNetClustering(o =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = connectionString;
                });
                client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, serviceId));
                client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = orleans.GetValue("GatewayListRefreshPeriod", TimeSpan.FromSeconds(10)));
            }
            else
            {
                client.UseLocalhostClustering(orleans.GetValue("GatewayPort", 30000), serviceId, clusterId);
            }
        });
        return builder;
    }

    /// <summary>The gateway only reads the gateway list: a handful of connections is plenty.</summary>
    private static string ConnectionString(IConfiguration configuration)
    {
        var raw = configuration.GetConnectionString("Postgres");
        if (string.IsNullOrWhiteSpace(raw))
        {
            throw new InvalidOperationException("ConnectionStrings:Postgres is required when Sessions:Storage is Postgres.");
        }

        return raw.Contains("pool size", StringComparison.OrdinalIgnoreCase) ? raw : raw.TrimEnd(';') + ";Maximum Pool Size=4";
    }
}
