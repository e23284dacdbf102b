using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Orleans.Sessions.Hosting.Health;

/// <summary>Registration of the readiness checks every host shares.</summary>
public static class HealthChecksBuilderExtensions
{
    /// <summary>A readiness check named <paramref name="name"/>, built from the container when first run.</summary>
    public static IHealthChecksBuilder AddReadinessCheck(this IHealthChecksBuilder builder, string name, Func<IServiceProvider, IHealthCheck> factory) =>
        builder.Add(new HealthCheckRegistration(name, factory, HealthStatus.Unhealthy, [SessionsHealth.Ready]));

    /// <summary>PostgreSQL answering within <paramref name="timeout"/> on <paramref name="connectionString"/>.</summary>
    public static IHealthChecksBuilder AddPostgresReadiness(this IHealthChecksBuilder builder, string name, string connectionString, TimeSpan timeout) =>
        builder.AddReadinessCheck(name, sp => new PostgresHealthCheck(connectionString, timeout, sp.GetRequiredService<ILogger<PostgresHealthCheck>>()));
}
