using System.Net;
using System.Net.Sockets;
using Orleans.Configuration;
using Orleans.Sessions.Api;
using Orleans.Sessions.Hosting;
using Orleans.Sessions.Storage.Postgres;

namespace Orleans.Sessions.Silo;

/// <summary>
/// The silo: localhost clustering for the embedded single node, or ADO.NET clustering on PostgreSQL for a
/// cluster (<c>Sessions:Storage=Postgres</c>), on the configured ports, with the sessions grains.
/// </summary>
public static class SiloHost
{
    public static WebApplicationBuilder AddSessionsSilo(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var orleans = configuration.GetSection("Orleans");
        var siloPort = orleans.GetValue("SiloPort", 11111);
        var gatewayPort = orleans.GetValue("GatewayPort", 30000);
        var serviceId = orleans["ServiceId"] ?? "orleans-sessions";
        var clusterId = orleans["ClusterId"] ?? "dev";
        builder.UseOrleans(silo =>
        {
            if (PostgresConnection.IsSelected(configuration))
            {
                var connectionString = PostgresConnection.FromConfiguration(configuration);
                silo.UseAdoNetClustering(o =>
                {
                    o.Invariant = PostgresConnection.Invariant;
                    o.ConnectionString = connectionString;
                });
                silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, serviceId));
                var listenOnAny = orleans.GetValue("ListenOnAnyHostAddress", false);
                if (orleans["AdvertisedIPAddress"] is { Length: > 0 } advertised)
                {
                    silo.ConfigureEndpoints(IPAddress.Parse(advertised), siloPort, gatewayPort, listenOnAny);
                }
                else
                {
                    silo.ConfigureEndpoints(siloPort, gatewayPort, AddressFamily.InterNetwork, listenOnAny);
                }

                silo.Services.Configure<ClusterMembershipOptions>(orleans.GetSection("Membership"));
            }
            else
            {
                silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: serviceId, clusterId: clusterId);
            }

            silo.AddSessions(configuration);
            silo.AddActivityPropagation(); // Grain calls join the trace of the request that made them.
        });
        return builder;
    }

    /// <summary><c>Orleans.Sessions.Silo migrate</c>: applies the PostgreSQL schema and exits (0 on success).</summary>
    public static async Task<int> MigrateAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Configuration.AddSettingsFiles(builder.Environment);
        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Orleans.Sessions.Migrate");
        try
        {
            var connectionString = PostgresConnection.FromConfiguration(builder.Configuration);
            await PostgresSchema.MigrateAsync(connectionString, logger, CancellationToken.None);
            return 0;
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Migration failed");
            return 1;
        }
    }
}
