using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Sessions.Deliveries;
using Orleans.Sessions.Storage;

namespace Orleans.Sessions.Webhooks;

/// <summary>The stored endpoints of a tenant, with their secrets (which only this grain and the deliveries ever read).</summary>
[GenerateSerializer, Alias("sessions.WebhookEndpointsState")]
public sealed class WebhookEndpointsState
{
    [Id(0)]
    public List<StoredWebhook> Endpoints { get; set; } = [];
}

[GenerateSerializer, Alias("sessions.StoredWebhook")]
public sealed class StoredWebhook
{
    [Id(0)]
    public required WebhookEndpoint Endpoint { get; set; }

    [Id(1)]
    public required string Secret { get; set; }

    /// <summary>The secret a rotation replaced, and until when it still signs.</summary>
    [Id(2)]
    public string? PreviousSecret { get; set; }

    [Id(3)]
    public DateTimeOffset? PreviousSecretUntil { get; set; }
}

/// <summary>
/// A tenant's webhook endpoints (docs/webhooks.md, "Endpoints"): registration, updates, deletion. Each endpoint has a
/// delivery grain that follows the event log; this grain starts and stops it and lists it in the cluster's
/// <see cref="IDeliveryRegistryGrain"/>, so a silo that restarts finds it again.
/// </summary>
[GrainType("webhookendpoints")] // Part of every stored key: pinned.
public sealed class WebhookEndpointsGrain(
    [PersistentState("webhook-endpoints", SessionsStorage.Name)] IPersistentState<WebhookEndpointsState> state,
    [FromKeyedServices(SessionsClock.Key)] TimeProvider clock) : Grain, IWebhookEndpointsGrain
{
    /// <summary>Endpoints a tenant may have.</summary>
    public const int MaxEndpoints = WebhookEndpoint.MaxPerTenant;

    private string Tenant => this.GetPrimaryKeyString();

    public async Task<WebhookWithSecret?> CreateAsync(WebhookSpec spec)
    {
        if (state.State.Endpoints.Count >= MaxEndpoints)
        {
            return null;
        }

        var endpoint = new WebhookEndpoint
        {
            Id = WebhookEndpoint.IdPrefix + System.Ulid.NewUlid(clock.GetUtcNow()),
            Url = spec.Url ?? throw new ArgumentException("A webhook needs a url.", nameof(spec)),
            EventTypes = spec.EventTypes ?? [],
            Enabled = spec.Enabled ?? true,
            Description = spec.Description,
            CreatedAt = clock.GetUtcNow(),
        };
        var secret = WebhookSignature.NewSecret();
        state.State.Endpoints.Add(new StoredWebhook { Endpoint = endpoint, Secret = secret });
        await state.WriteStateAsync();
        await DeliveryLifecycle.StartAsync(GrainFactory, Tenant, endpoint.Id);
        return new WebhookWithSecret(endpoint, secret);
    }

    public Task<ImmutableArray<WebhookEndpoint>> ListAsync() =>
        Task.FromResult(state.State.Endpoints.Select(e => e.Endpoint).ToImmutableArray());

    public Task<WebhookEndpoint?> GetAsync(string id) => Task.FromResult(Find(id)?.Endpoint);

    public async Task<WebhookEndpoint?> UpdateAsync(string id, WebhookSpec spec)
    {
        if (Find(id) is not { } stored)
        {
            return null;
        }

        stored.Endpoint = stored.Endpoint with
        {
            Url = spec.Url ?? stored.Endpoint.Url,
            EventTypes = spec.EventTypes ?? stored.Endpoint.EventTypes,
            Enabled = spec.Enabled ?? stored.Endpoint.Enabled,
            Description = spec.Description ?? stored.Endpoint.Description,
        };
        await state.WriteStateAsync();
        return stored.Endpoint;
    }

    public async Task<bool> DeleteAsync(string id)
    {
        if (Find(id) is not { } stored)
        {
            return false;
        }

        state.State.Endpoints.Remove(stored);
        await state.WriteStateAsync();
        await DeliveryLifecycle.StopAsync(GrainFactory, Tenant, id);
        return true;
    }

    public async Task<WebhookWithSecret?> RotateSecretAsync(string id, TimeSpan overlap)
    {
        if (Find(id) is not { } stored)
        {
            return null;
        }

        (stored.PreviousSecret, stored.PreviousSecretUntil) = (stored.Secret, TimeProvider.System.GetUtcNow() + overlap);
        stored.Secret = WebhookSignature.NewSecret();
        await state.WriteStateAsync();
        return new WebhookWithSecret(stored.Endpoint, stored.Secret);
    }

    public Task<WebhookTarget?> TargetAsync(string id)
    {
        if (Find(id) is not { } stored)
        {
            return Task.FromResult<WebhookTarget?>(null);
        }

        // Real time, like the deliveries that sign with them: session time is not the wall clock in tests.
        var secrets = stored.PreviousSecret is { } previous && TimeProvider.System.GetUtcNow() < stored.PreviousSecretUntil
            ? ImmutableArray.Create(stored.Secret, previous)
            : ImmutableArray.Create(stored.Secret);
        return Task.FromResult<WebhookTarget?>(new WebhookTarget(stored.Endpoint, secrets));
    }

    public async Task SetFailingAsync(string id, DateTimeOffset? since)
    {
        if (Find(id) is { } stored && (stored.Endpoint.FailingSince is null) != (since is null))
        {
            stored.Endpoint = stored.Endpoint with { FailingSince = since };
            await state.WriteStateAsync();
        }
    }

    private StoredWebhook? Find(string id) => state.State.Endpoints.Find(e => e.Endpoint.Id == id);
}
