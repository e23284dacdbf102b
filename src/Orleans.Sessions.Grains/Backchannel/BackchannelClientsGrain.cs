using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Sessions.Deliveries;
using Orleans.Sessions.Storage;

namespace Orleans.Sessions.Backchannel;

[GenerateSerializer, Alias("sessions.BackchannelClientsState")]
public sealed class BackchannelClientsState
{
    [Id(0)]
    public List<BackchannelClient> Clients { get; set; } = [];
}

/// <summary>
/// A tenant's back-channel logout clients (docs/backchannel-logout.md, "Clients"): registration, updates, deletion.
/// Each client has a delivery (<see cref="IEventDeliveryGrain"/>, key <c>tenant/rp_…</c>) that follows the event log
/// and posts a logout token for each ending of a session the client used; this grain starts and stops it and lists it
/// in the cluster's <see cref="IDeliveryRegistryGrain"/>, so a silo that restarts finds it again.
/// </summary>
[GrainType("backchannelclients")] // Part of every stored key: pinned.
public sealed class BackchannelClientsGrain(
    [PersistentState("backchannel-clients", SessionsStorage.Name)] IPersistentState<BackchannelClientsState> state,
    [FromKeyedServices(SessionsClock.Key)] TimeProvider clock) : Grain, IBackchannelClientsGrain
{
    private string Tenant => this.GetPrimaryKeyString();

    private List<BackchannelClient> Clients => state.State.Clients;

    public async Task<ClientRegistration> CreateAsync(BackchannelClientSpec spec)
    {
        var clientId = spec.ClientId ?? throw new ArgumentException("A client needs a client id.", nameof(spec));
        if (Get(clientId) is not null)
        {
            return new ClientRegistration(ClientRegistrationError.Exists, null);
        }

        if (Clients.Count >= BackchannelClient.MaxPerTenant)
        {
            return new ClientRegistration(ClientRegistrationError.Limit, null);
        }

        var client = new BackchannelClient
        {
            Id = BackchannelClient.IdPrefix + System.Ulid.NewUlid(clock.GetUtcNow()),
            ClientId = clientId,
            LogoutUri = spec.LogoutUri ?? throw new ArgumentException("A client needs a back-channel logout URI.", nameof(spec)),
            SessionRequired = spec.SessionRequired ?? false,
            Issuer = spec.Issuer ?? throw new ArgumentException("A client needs an issuer.", nameof(spec)),
            Enabled = spec.Enabled ?? true,
            Description = spec.Description,
            CreatedAt = clock.GetUtcNow(),
        };
        Clients.Add(client);
        await state.WriteStateAsync();
        await DeliveryLifecycle.StartAsync(GrainFactory, Tenant, client.Id);
        return new ClientRegistration(ClientRegistrationError.None, client);
    }

    public Task<ImmutableArray<BackchannelClient>> ListAsync() => Task.FromResult(Clients.ToImmutableArray());

    public Task<BackchannelClient?> GetAsync(string clientId) => Task.FromResult(Get(clientId));

    public Task<BackchannelClient?> FindAsync(string id) => Task.FromResult(Clients.Find(c => c.Id == id));

    public async Task<BackchannelClient?> UpdateAsync(string clientId, BackchannelClientSpec spec)
    {
        if (Get(clientId) is not { } client)
        {
            return null;
        }

        var changed = client with
        {
            LogoutUri = spec.LogoutUri ?? client.LogoutUri,
            SessionRequired = spec.SessionRequired ?? client.SessionRequired,
            Issuer = spec.Issuer ?? client.Issuer,
            Enabled = spec.Enabled ?? client.Enabled,
            Description = spec.Description ?? client.Description,
        };
        Clients[Clients.IndexOf(client)] = changed;
        await state.WriteStateAsync();
        return changed;
    }

    public async Task<bool> DeleteAsync(string clientId)
    {
        if (Get(clientId) is not { } client)
        {
            return false;
        }

        Clients.Remove(client);
        await state.WriteStateAsync();
        await DeliveryLifecycle.StopAsync(GrainFactory, Tenant, client.Id);
        return true;
    }

    public async Task SetFailingAsync(string id, DateTimeOffset? since)
    {
        var index = Clients.FindIndex(c => c.Id == id);
        if (index >= 0 && (Clients[index].FailingSince is null) != (since is null))
        {
            Clients[index] = Clients[index] with { FailingSince = since };
            await state.WriteStateAsync();
        }
    }

    private BackchannelClient? Get(string clientId) => Clients.Find(c => string.Equals(c.ClientId, clientId, StringComparison.Ordinal));
}
