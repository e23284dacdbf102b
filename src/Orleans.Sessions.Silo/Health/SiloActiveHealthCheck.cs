using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Orleans.Sessions.Silo.Health;

/// <summary>
/// Ready only while this silo is <see cref="SiloStatus.Active"/> in its cluster's membership: not while it joins,
/// and no longer once it shuts down or has been declared dead, so load balancers stop sending it requests first.
/// </summary>
public sealed class SiloActiveHealthCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy("The silo is active in its cluster")
            : new HealthCheckResult(context.Registration.FailureStatus, $"The silo is {status}, not active"));
    }
}
