using Orleans.Sessions.Storage;

namespace Orleans.Sessions.Deliveries;

[GenerateSerializer, Alias("sessions.WebhookRegistryState")] // Named when only webhooks were delivered: kept for rolling upgrades.
public sealed class DeliveryRegistryState : IKeyList
{
    [Id(0)]
    public List<string> Deliveries { get; set; } = [];

    List<string> IKeyList.Keys => Deliveries;
}

/// <summary>The stored list of every receiver's delivery key (<see cref="IDeliveryRegistryGrain"/>).</summary>
[GrainType("webhookregistry")] // Part of the stored key: pinned.
public sealed class DeliveryRegistryGrain(
    [PersistentState("webhook-registry", SessionsStorage.Name)] IPersistentState<DeliveryRegistryState> state) : KeyRegistryGrain<DeliveryRegistryState>(state), IDeliveryRegistryGrain;
