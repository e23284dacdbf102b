using Orleans.Sessions.Hosting;
using Orleans.Sessions.Hosting.Health;
using Orleans.Sessions.Storage;
using Orleans.Storage;

namespace Orleans.Sessions.Silo.Health;

/// <summary>A silo's readiness checks (docs/operations.md, "Health"): active in its cluster, and its storage answering.</summary>
public static class SiloReadiness
{
    public static IServiceCollection AddSiloReadiness(this IServiceCollection services, ClusterProfile profile, IConfiguration configuration)
    {
        var storageTimeout = SessionsHealth.StorageTimeout(configuration);
        var health = services.AddHealthChecks()
            .AddReadinessCheck("cluster", sp => ActivatorUtilities.CreateInstance<SiloActiveHealthCheck>(sp));
        if (profile.Storage == StorageKind.Postgres)
        {
            health.AddPostgresReadiness("storage", profile.SiloPostgresConnection(), storageTimeout);
        }
        else
        {
            health.AddReadinessCheck("storage", sp => new SqliteHealthCheck(
                sp.GetRequiredKeyedService<IGrainStorage>(SessionsStorage.Name), storageTimeout, sp.GetRequiredService<ILogger<SqliteHealthCheck>>()));
        }

        return services;
    }
}
