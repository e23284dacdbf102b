using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Orleans.Sessions.Gateway.Health;

/// <summary>
/// Ready while the gateway's Orleans client holds a connection to at least one silo gateway; the client tells it
/// each time its count of connected gateways changes.
/// </summary>
public sealed class ClusterConnectionHealthCheck : IHealthCheck, IClusterConnectionStatusObserver
{
    private int _connectedGateways;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var connected = Volatile.Read(ref _connectedGateways);
        return Task.FromResult(connected > 0
            ? HealthCheckResult.Healthy($"Connected to {connected} silo gateway(s)")
            : new HealthCheckResult(context.Registration.FailureStatus, "Not connected to any silo gateway"));
    }

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered) =>
        Volatile.Write(ref _connectedGateways, currentNumberOfGateways);

    public void NotifyClusterConnectionLost() => Volatile.Write(ref _connectedGateways, 0);
}
