using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Orleans.Sessions.Deliveries;

/// <summary>
/// Keeps every receiver's delivery running (docs/webhooks.md, "Delivery"): soon after a silo starts, and every 10 s,
/// it asks each delivery grain the registry lists to run. A delivery whose silo died is activated again on another
/// within that time and goes on from its stored position. Every silo does it; asking a running delivery is a no-op.
/// It reports how many there are (<see cref="DeliveryMetrics"/>, which it thereby makes when the silo starts: its gauges
/// report from the start, before any delivery runs here).
/// </summary>
public sealed partial class DeliveryKeeper(IGrainFactory grains, DeliveryMetrics metrics, ILogger<DeliveryKeeper> logger) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        do
        {
            try
            {
                var deliveries = await grains.GetGrain<IDeliveryRegistryGrain>(IDeliveryRegistryGrain.Key).ListAsync();
                metrics.Receivers = deliveries.Length;
                await Task.WhenAll(deliveries.Select(key => grains.GetGrain<IEventDeliveryGrain>(key).EnsureRunningAsync()));
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // A grain call that failed while a silo died (a timeout, a cancellation) must not end the keeping.
                LogKeepFailed(exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deliveries could not be checked; the next pass tries again")]
    private partial void LogKeepFailed(Exception exception);
}
