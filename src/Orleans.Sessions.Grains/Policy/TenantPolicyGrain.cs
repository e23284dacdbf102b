using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Sessions.Storage;

namespace Orleans.Sessions.Policy;

[GenerateSerializer, Alias("sessions.TenantPolicyState")]
public sealed class TenantPolicyState
{
    [Id(0)]
    public StoredTenantPolicy Current { get; set; } = new();
}

/// <summary>
/// A tenant's session policy (docs/policy.md): stored before a change is answered, versioned for <c>If-Match</c>. Silos
/// read it through their <see cref="TenantPolicyCache"/>; the one this grain lives on learns a change at once.
/// </summary>
[GrainType("tenantpolicy")] // Part of every stored key: pinned.
public sealed class TenantPolicyGrain(
    [PersistentState("tenant-policy", SessionsStorage.Name)] IPersistentState<TenantPolicyState> state,
    IOptions<SessionsOptions> options,
    TenantPolicyCache cache,
    [FromKeyedServices(SessionsClock.Key)] TimeProvider clock) : Grain, ITenantPolicyGrain
{
    public Task<TenantPolicyView> GetAsync() => Task.FromResult(View());

    public async Task<PolicyChange> PutAsync(TenantPolicy policy, long[]? ifVersions, string actor)
    {
        var current = state.State.Current;
        if (ifVersions is not null && !ifVersions.Contains(current.Version))
        {
            return new PolicyChange(PolicyError.VersionMismatch, View());
        }

        if (policy.MaxSessionsPerUser > options.Value.MaxSessionsPerUser)
        {
            return new PolicyChange(PolicyError.RingTooLarge, View());
        }

        state.State.Current = new StoredTenantPolicy { Policy = policy, Version = current.Version + 1, UpdatedAt = clock.GetUtcNow(), UpdatedBy = actor };
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.Current = current; // Not stored (as far as this activation knows): not served, and read again.
            DeactivateOnIdle();
            throw;
        }

        cache.Learn(this.GetPrimaryKeyString(), policy);
        return new PolicyChange(PolicyError.None, View());
    }

    private TenantPolicyView View() => new(state.State.Current, PolicyDefaultsOf(options.Value));

    private static PolicyDefaults PolicyDefaultsOf(SessionsOptions options) => new(
        options.DefaultExpiresIn,
        options.DefaultIdleTimeout,
        options.MaxSessionsPerUser,
        options.ActiveSessionLimit)
    {
        Risk = new RiskPolicy
        {
            Enabled = options.Risk.Enabled,
            DeviceMemory = options.Risk.DeviceMemory,
            CountryMemory = options.Risk.CountryMemory,
            MaxSpeedKmh = options.Risk.MaxSpeedKmh,
            MinTravelKm = options.Risk.MinTravelKm,
            DistantKm = options.Risk.DistantKm,
            Weights = options.Risk.Weights.ToImmutableSortedDictionary(StringComparer.Ordinal),
        },
    };
}
