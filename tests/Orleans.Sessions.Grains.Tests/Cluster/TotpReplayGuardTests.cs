using Orleans.Sessions.Auth;

namespace Orleans.Sessions.Grains.Tests.Cluster;

/// <summary>A TOTP step is accepted once per key, and stays used when the guard's activation is gone.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TotpReplayGuardTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_step_is_accepted_once_only_newer_steps_after_it_and_that_survives_deactivation()
    {
        var guard = fixture.Grains.GetGrain<ITotpReplayGuardGrain>("key-" + Guid.NewGuid().ToString("N")[..8]);

        Assert.True(await guard.TryUseAsync(59_000_000));
        Assert.False(await guard.TryUseAsync(59_000_000));
        Assert.False(await guard.TryUseAsync(58_999_999));
        Assert.True(await guard.TryUseAsync(59_000_001));

        await fixture.Cluster.DeactivateAsync(guard);

        Assert.False(await guard.TryUseAsync(59_000_001));
        Assert.True(await guard.TryUseAsync(59_000_002));
    }

    [Fact]
    public async Task Keys_have_guards_of_their_own()
    {
        var step = 60_000_000L;

        Assert.True(await fixture.Grains.GetGrain<ITotpReplayGuardGrain>("key-a-" + Guid.NewGuid().ToString("N")[..8]).TryUseAsync(step));
        Assert.True(await fixture.Grains.GetGrain<ITotpReplayGuardGrain>("key-b-" + Guid.NewGuid().ToString("N")[..8]).TryUseAsync(step));
    }
}
