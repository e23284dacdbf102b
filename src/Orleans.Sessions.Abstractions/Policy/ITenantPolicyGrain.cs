using Orleans.Concurrency;

namespace Orleans.Sessions.Policy;

/// <summary>A tenant's session policy (key = tenant), read by every silo's policy cache (docs/policy.md).</summary>
[Alias("sessions.ITenantPolicyGrain")]
public interface ITenantPolicyGrain : IGrainWithStringKey
{
    /// <summary>The policy and the configured defaults; waits for a change being stored (a cache never holds one that is not).</summary>
    [Alias("Get"), ReadOnly]
    Task<TenantPolicyView> GetAsync();

    /// <summary>
    /// Replaces the policy, stored before it returns, if <paramref name="ifVersions"/> is null or holds the current version.
    /// </summary>
    [Alias("Put")]
    Task<PolicyChange> PutAsync(TenantPolicy policy, long[]? ifVersions, string actor);
}
