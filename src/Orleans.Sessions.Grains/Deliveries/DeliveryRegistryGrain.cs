using System.Collections.Immutable;
using Orleans.Sessions.Storage;

namespace Orleans.Sessions.Deliveries;

[GenerateSerializer, Alias("sessions.WebhookRegistryState")] // Named when only webhooks were delivered: kept for rolling upgrades.
public sealed class DeliveryRegistryState
{
    [Id(0)]
    public List<string> Deliveries { get; set; } = [];
}

/// <summary>The stored list of every receiver's delivery key (<see cref="IDeliveryRegistryGrain"/>).</summary>
[GrainType("webhookregistry")] // Part of the stored key: pinned.
public sealed class DeliveryRegistryGrain(
    [PersistentState("webhook-registry", SessionsStorage.Name)] IPersistentState<DeliveryRegistryState> state) : Grain, IDeliveryRegistryGrain
{
    public async Task AddAsync(string deliveryKey)
    {
        if (!state.State.Deliveries.Contains(deliveryKey))
        {
            state.State.Deliveries.Add(deliveryKey);
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveAsync(string deliveryKey)
    {
        if (state.State.Deliveries.Remove(deliveryKey))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<ImmutableArray<string>> ListAsync() => Task.FromResult(state.State.Deliveries.ToImmutableArray());
}
