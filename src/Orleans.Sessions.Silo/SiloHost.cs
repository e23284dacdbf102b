using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Sessions.Api.Dashboard;
using Orleans.Sessions.Hosting;
using Orleans.Sessions.Silo.Health;
using Orleans.Sessions.Storage.Postgres;

namespace Orleans.Sessions.Silo;

/// <summary>
/// The silo, as the cluster profile says: localhost clustering and SQLite for the embedded single node, or
/// ADO.NET clustering and grain storage on PostgreSQL for a cluster — in Kubernetes pods with Orleans' Kubernetes
/// hosting when the profile says so — on the profile's ports, with the sessions grains, and the readiness checks of
/// both (docs/operations.md, "Health").
/// </summary>
public static class SiloHost
{
    public static WebApplicationBuilder AddSessionsSilo(this WebApplicationBuilder builder, ClusterProfile profile)
    {
        var configuration = builder.Configuration;
        builder.Services.AddSiloReadiness(profile, configuration);

        builder.UseOrleans(silo =>
        {
            silo.AddSessions(configuration);
            if (profile.Storage == StorageKind.Postgres)
            {
                var connectionString = profile.SiloPostgresConnection();
                silo.UseAdoNetClustering(o =>
                {
                    o.Invariant = ClusterProfile.PostgresInvariant;
                    o.ConnectionString = connectionString;
                });
                if (profile.Kubernetes)
                {
                    // The pod is the silo (docs/operations.md, "Kubernetes"): POD_NAME names it, it listens on every
                    // interface, and silos watch their pods. Registered before the profile's ClusterOptions below, so that
                    // those win over ORLEANS_CLUSTER_ID / ORLEANS_SERVICE_ID: gateways read only the profile, and both must
                    // name the same cluster. The advertised address is the profile's: POD_IP unless set explicitly.
                    silo.UseKubernetesHosting();
                    silo.Configure<EndpointOptions>(o =>
                    {
                        (o.SiloPort, o.GatewayPort) = (profile.SiloPort, profile.GatewayPort);
                        if (profile.AdvertisedIPAddress is { } advertised)
                        {
                            o.AdvertisedIPAddress = advertised;
                        }
                    });
                }
                else if (profile.AdvertisedIPAddress is { } advertised)
                {
                    silo.ConfigureEndpoints(advertised, profile.SiloPort, profile.GatewayPort, profile.ListenOnAnyHostAddress);
                }
                else
                {
                    silo.ConfigureEndpoints(profile.SiloPort, profile.GatewayPort, System.Net.Sockets.AddressFamily.InterNetwork, profile.ListenOnAnyHostAddress);
                }

                silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (profile.ClusterId, profile.ServiceId));

                silo.Services.Configure<ClusterMembershipOptions>(configuration.GetSection("Orleans:Membership"));
                if (profile.PostgresGrainStorage == PostgresGrainStorageKind.AdoNet)
                {
                    silo.AddSessionsAdoNetStorage(ClusterProfile.PostgresInvariant, connectionString);
                }
                else
                {
                    silo.AddSessionsPostgresStorage(ClusterProfile.PostgresInvariant, connectionString, configuration);
                }
            }
            else
            {
                silo.UseLocalhostClustering(profile.SiloPort, profile.GatewayPort, serviceId: profile.ServiceId, clusterId: profile.ClusterId);
                silo.AddSessionsSqliteStorage(configuration);
            }

            silo.AddActivityPropagation(); // Grain calls join the trace of the request that made them.
            if (SessionsDashboard.Enabled(configuration))
            {
                silo.AddDashboard(o => SessionsDashboard.Configure(o, configuration));
            }
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
            var connectionString = ClusterProfile.From(builder.Configuration).SiloPostgresConnection();
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
