using Orleans.Sessions.Grains.Tests.Users;
using Orleans.Sessions.SessionDirectory;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Grains.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class DirectoryGrainTests(ClusterFixture fixture)
{
    /// <summary>How long a shard may take to hear of a change (its user grains tell it asynchronously).</summary>
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(15);

    private readonly string _tenant = "d" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task User_grains_keep_their_shard_up_to_date()
    {
        var alice = User("alice");
        var bob = User("bob");
        var a1 = (await alice.SignOnAsync(Commands.SignOn() with { UserName = "Alice" }, SessionScope.All)).Session!;
        var a2 = (await alice.SignOnAsync(Commands.SignOn(), SessionScope.All)).Session!;
        var b1 = (await bob.SignOnAsync(Commands.SignOn(), SessionScope.All)).Session!;
        await WaitForAsync("the directory to show three sessions listed", async () => (await ListAllAsync()).Count == 3, CatchUp);

        await alice.RevokeAsync(a1.Id, new SessionEnd("admin", "test"), SessionScope.All);
        await bob.SignOutAsync(b1.Id, SessionScope.All);
        await WaitForAsync("the directory to show only a2 listed", async () => (await ListAllAsync()).SequenceEqual([a2.Id]), CatchUp);

        var item = (await Shard("alice").QueryAsync(new DirectoryQuery { ShardCount = DirectoryShards.DefaultCount })).Items.Single(i => i.Session.UserId == "alice");
        Assert.Equal("Alice", item.UserName);
    }

    [Fact]
    public async Task A_lost_update_is_repaired_by_reconciliation()
    {
        var carol = User("carol");
        var kept = (await carol.SignOnAsync(Commands.SignOn(), SessionScope.All)).Session!;
        var revoked = (await carol.SignOnAsync(Commands.SignOn(), SessionScope.All)).Session!;
        await carol.RevokeAsync(revoked.Id, new SessionEnd("admin", "test"), SessionScope.All);
        await WaitForAsync("the directory to show one session listed", async () => (await ListAllAsync()).SequenceEqual([kept.Id]), CatchUp);

        // A crash between the user grain's write and the shard's update: the shard is left with a stale view
        // (the revoked session back, the live one missing), numbered above anything the user grain has issued.
        var stale = SessionSummary.From(revoked with { Status = SessionStatus.Active });
        await Shard("carol").UpdateUserAsync(new DirectoryUserUpdate("carol", long.MaxValue / 2, null, null, [stale]));
        await WaitForAsync("the directory to show the stale view", async () => (await ListAllAsync()).SequenceEqual([revoked.Id]), CatchUp);

        await Shard("carol").ReconcileAsync();

        await WaitForAsync("the shard to be repaired from the user grain", async () => (await ListAllAsync()).SequenceEqual([kept.Id]), CatchUp);
    }

    [Fact]
    public async Task A_shard_finds_a_user_it_never_heard_of_when_it_reconciles()
    {
        var dave = User("dave");
        var session = (await dave.SignOnAsync(Commands.SignOn(), SessionScope.All)).Session!;
        await WaitForAsync("the directory to list the session", async () => (await ListAllAsync()).Count == 1, CatchUp);
        await Shard("dave").UpdateUserAsync(new DirectoryUserUpdate("dave", long.MaxValue / 2, null, null, []));
        await WaitForAsync("the shard to forget the user", async () => (await ListAllAsync()).Count == 0, CatchUp);

        await Shard("dave").ReconcileAsync();

        await WaitForAsync("the shard to find the user again in storage", async () => (await ListAllAsync()).SequenceEqual([session.Id]), CatchUp);
    }

    [Fact]
    public async Task A_query_spread_over_another_shard_count_is_refused()
    {
        var error = await Assert.ThrowsAsync<DirectoryConfigurationException>(() =>
            Shard("erin").QueryAsync(new DirectoryQuery { ShardCount = DirectoryShards.DefaultCount / 2 }));

        Assert.Contains("Sessions:DirectoryShards", error.Message, StringComparison.Ordinal);
    }

    private IUserSessionsGrain User(string userId) => fixture.Grains.GetGrain<IUserSessionsGrain>(UserKey.Format(_tenant, userId));

    private IDirectoryShardGrain Shard(string userId) =>
        fixture.Grains.GetGrain<IDirectoryShardGrain>(DirectoryShards.Key(_tenant, DirectoryShards.ShardOf(userId, DirectoryShards.DefaultCount)));

    private async Task<List<string>> ListAllAsync()
    {
        var query = new DirectoryQuery { Take = 100, ShardCount = DirectoryShards.DefaultCount };
        var slices = await Task.WhenAll(Enumerable.Range(0, DirectoryShards.DefaultCount)
            .Select(s => fixture.Grains.GetGrain<IDirectoryShardGrain>(DirectoryShards.Key(_tenant, s)).QueryAsync(query)));
        return [.. slices.SelectMany(s => s.Items).Select(i => i.Session.SessionId).Order(StringComparer.Ordinal)];
    }
}
