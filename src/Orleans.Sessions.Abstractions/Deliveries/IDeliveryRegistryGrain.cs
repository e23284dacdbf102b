using System.Collections.Immutable;

namespace Orleans.Sessions.Deliveries;

/// <summary>
/// Every delivery of the cluster (<c>tenant/receiverId</c>: webhook endpoints, back-channel logout clients, Shared
/// Signals push streams), so that silos can keep each one running after a restart or a crash (docs/webhooks.md,
/// "Delivery"). One grain: receivers are few and change rarely.
/// </summary>
[Alias("sessions.IWebhookRegistryGrain")] // Named when only webhooks were delivered: kept for rolling upgrades.
public interface IDeliveryRegistryGrain : IGrainWithStringKey
{
    const string Key = "all";

    [Alias("Add")]
    Task AddAsync(string deliveryKey);

    [Alias("Remove")]
    Task RemoveAsync(string deliveryKey);

    [Alias("List")]
    Task<ImmutableArray<string>> ListAsync();
}
