using System.Collections.Immutable;
using Orleans.Sessions.Storage;

namespace Orleans.Sessions.Webhooks;

[GenerateSerializer, Alias("sessions.WebhookRegistryState")]
public sealed class WebhookRegistryState
{
    [Id(0)]
    public List<string> Deliveries { get; set; } = [];
}

/// <summary>The stored list of every endpoint's delivery key (<see cref="IWebhookRegistryGrain"/>).</summary>
[GrainType("webhookregistry")] // Part of the stored key: pinned.
public sealed class WebhookRegistryGrain(
    [PersistentState("webhook-registry", SessionsStorage.Name)] IPersistentState<WebhookRegistryState> state) : Grain, IWebhookRegistryGrain
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
