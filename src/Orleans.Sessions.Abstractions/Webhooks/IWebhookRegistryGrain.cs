using System.Collections.Immutable;

namespace Orleans.Sessions.Webhooks;

/// <summary>
/// Every webhook endpoint of the cluster (<c>tenant/endpointId</c>), so that silos can keep each one's delivery running
/// after a restart or a crash (docs/webhooks.md, "Delivery"). One grain: endpoints are few and change rarely.
/// </summary>
[Alias("sessions.IWebhookRegistryGrain")]
public interface IWebhookRegistryGrain : IGrainWithStringKey
{
    const string Key = "all";

    [Alias("Add")]
    Task AddAsync(string deliveryKey);

    [Alias("Remove")]
    Task RemoveAsync(string deliveryKey);

    [Alias("List")]
    Task<ImmutableArray<string>> ListAsync();
}
