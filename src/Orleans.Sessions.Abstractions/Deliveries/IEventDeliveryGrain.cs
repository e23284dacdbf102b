using System.Collections.Immutable;
using Orleans.Concurrency;
using Orleans.Sessions.Events;

namespace Orleans.Sessions.Deliveries;

/// <summary>
/// The deliveries to one receiver (key = <c>tenant/receiverId</c>: a webhook endpoint <c>ep_…</c>, a back-channel
/// logout client <c>rp_…</c>, a Shared Signals push stream <c>st_…</c>): it follows the tenant's event log from its
/// position, each user's events one at a time so they reach the receiver in order; retries, dead letters and the
/// delivery log (docs/webhooks.md, "Delivery").
/// </summary>
[Alias("sessions.IWebhookDeliveryGrain")] // The name it had when only webhooks were delivered: kept for rolling upgrades.
public interface IEventDeliveryGrain : IGrainWithStringKey
{
    /// <summary>Starts following the log if it is not already (idempotent).</summary>
    [Alias("Ensure")]
    Task EnsureRunningAsync();

    /// <summary>The newest attempts first, at most <paramref name="limit"/>.</summary>
    [Alias("Log")]
    [AlwaysInterleave] // Read while a delivery round (a timer tick of up to a few seconds) is under way.
    Task<ImmutableArray<DeliveryAttempt>> LogAsync(int limit);

    /// <summary>
    /// Queues the events <paramref name="selection"/> names (that the receiver wants) for delivery again, before what is
    /// new in the log; how many were queued.
    /// </summary>
    [Alias("Redeliver")]
    Task<int> RedeliverAsync(EventSelection selection);

    /// <summary>Stops for good: the receiver was deleted.</summary>
    /// <remarks>
    /// One-way: the registration grain that deletes a receiver must not wait for the delivery's turn, because a delivery
    /// round asks that same grain for its receiver — waiting would be a deadlock until the call timed out. A delivery
    /// that misses the message stops anyway when its next round finds no receiver.
    /// </remarks>
    [Alias("Stop")]
    [OneWay]
    Task StopAsync();
}
