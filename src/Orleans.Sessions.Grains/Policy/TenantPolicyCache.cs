using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Orleans.Sessions.Policy;

/// <summary>
/// A silo's copy of each tenant's policy, which its user grains apply to sign-ons (docs/policy.md, "When a change
/// applies"). A copy is served for <see cref="SessionsOptions.PolicyRefreshInterval"/> from the moment it was asked
/// for, so a change stored at time T reaches every sign-on that starts after T plus that interval, on every silo; the
/// silo that stored it has it at once. Timed by the machine's monotonic clock, not the sessions clock a test may stop.
/// </summary>
public sealed class TenantPolicyCache(IGrainFactory grains, IOptions<SessionsOptions> options)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeSpan _refresh = options.Value.PolicyRefreshInterval;

    /// <summary>The tenant's policy as this silo knows it, at most the refresh interval old.</summary>
    public ValueTask<TenantPolicy> GetAsync(string tenant)
    {
        var now = Stopwatch.GetTimestamp();
        // A failed ask is not kept: the next sign-on asks again.
        if (_entries.TryGetValue(tenant, out var entry) && Stopwatch.GetElapsedTime(entry.AskedAt, now) < _refresh
            && !entry.Policy.IsFaulted && !entry.Policy.IsCanceled)
        {
            return entry.Policy.IsCompletedSuccessfully ? new(entry.Policy.Result) : new(entry.Policy);
        }

        var asked = new Entry(FetchAsync(tenant), now);
        _entries[tenant] = asked;
        return new(asked.Policy);
    }

    /// <summary>A change this silo stored: served from now on.</summary>
    public void Learn(string tenant, TenantPolicy policy) =>
        _entries[tenant] = new Entry(Task.FromResult(policy), Stopwatch.GetTimestamp());

    private async Task<TenantPolicy> FetchAsync(string tenant) =>
        (await grains.GetGrain<ITenantPolicyGrain>(tenant).GetAsync()).Stored.Policy;

    private sealed record Entry(Task<TenantPolicy> Policy, long AskedAt);
}
