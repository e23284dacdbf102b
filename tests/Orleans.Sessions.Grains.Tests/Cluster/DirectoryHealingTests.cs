using Orleans.Sessions.Grains.Tests.Users;
using Orleans.Sessions.SessionDirectory;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Grains.Tests.Cluster;

/// <summary>
/// A cluster whose shards reconcile every second, on a shard count other than the default: what the
/// directory grain asks is the silos' setting alone.
/// </summary>
public sealed class HealingClusterFixture : ClusterFixture
{
    public const int Shards = 7;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Sessions:DirectoryReconcileInterval"] = "00:00:01",
        ["Sessions:DirectoryShards"] = Shards.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

[CollectionDefinition(Name)]
public sealed class HealingClusterCollection : ICollectionFixture<HealingClusterFixture>
{
    public const string Name = "healing cluster";
}

/// <summary>Shards repair what they lost by reconciling with the user grains in storage, with no operator.</summary>
[Collection(HealingClusterCollection.Name)]
public sealed class DirectoryHealingTests(HealingClusterFixture fixture)
{
    /// <summary>The revision of the stale views injected: above anything a user grain issues from the clock.</summary>
    private const long InjectedRevision = long.MaxValue / 2;

    private readonly string _tenant = "h" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task A_lost_update_is_repaired_by_reconciliation()
    {
        var carol = fixture.Grains.UserSessions(_tenant, "carol");
        var kept = (await carol.SignOnAsync(Commands.SignOn(), SessionScope.All)).Session!;
        var revoked = (await carol.SignOnAsync(Commands.SignOn(), SessionScope.All)).Session!;
        await carol.RevokeAsync(revoked.Id, new SessionEnd("admin", "test"), SessionScope.All);
        await DirectoryWaits.UntilAsync(fixture.Grains, _tenant, "one session listed", ids => ids.SequenceEqual([kept.Id]));

        // A crash between the user grain's write and the shard's update: the shard is left with a stale view
        // (the revoked session back, the live one missing), numbered above anything the user grain has issued.
        var stale = SessionSummary.From(revoked with { Status = SessionStatus.Active });
        await Shard("carol").UpdateUserAsync(new DirectoryUserUpdate("carol", InjectedRevision, null, null, [stale]));

        await DirectoryWaits.UntilAsync(fixture.Grains, _tenant, "the shard repaired from the user grain", ids => ids.SequenceEqual([kept.Id]));
        await AssertLaterUpdatesApplyAsync(carol, [kept.Id]);
    }

    [Fact]
    public async Task A_shard_finds_a_user_it_never_heard_of_when_it_reconciles()
    {
        var dave = fixture.Grains.UserSessions(_tenant, "dave");
        var session = (await dave.SignOnAsync(Commands.SignOn(), SessionScope.All)).Session!;
        await DirectoryWaits.UntilAsync(fixture.Grains, _tenant, "listed", ids => ids.Count == 1);

        await Shard("dave").UpdateUserAsync(new DirectoryUserUpdate("dave", InjectedRevision, null, null, []));

        await DirectoryWaits.UntilAsync(fixture.Grains, _tenant, "found again from storage", ids => ids.SequenceEqual([session.Id]));
        await AssertLaterUpdatesApplyAsync(dave, [session.Id]);
    }

    /// <summary>
    /// Whenever the injected update lands (before or after the repair the test waited for), only reconciliation
    /// clears it: the shard ignores the user grain's own updates, numbered below it, until a reconciliation answer
    /// goes above it. So the user's next sign-on is listed only if reconciliation works.
    /// </summary>
    private async Task AssertLaterUpdatesApplyAsync(IUserSessionsGrain user, List<string> listed)
    {
        var next = (await user.SignOnAsync(Commands.SignOn(), SessionScope.All)).Session!;
        List<string> expected = [.. listed.Append(next.Id).Order(StringComparer.Ordinal)];
        await DirectoryWaits.UntilAsync(fixture.Grains, _tenant, "the next sign-on listed", ids => ids.SequenceEqual(expected));
    }

    private IDirectoryShardGrain Shard(string userId) =>
        fixture.Grains.GetGrain<IDirectoryShardGrain>(DirectoryShards.Key(_tenant, DirectoryShards.ShardOf(userId, HealingClusterFixture.Shards)));
}
