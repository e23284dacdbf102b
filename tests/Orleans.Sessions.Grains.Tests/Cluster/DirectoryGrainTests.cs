using Orleans.Sessions.Grains.Tests.Users;
using Orleans.Sessions.SessionDirectory;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Grains.Tests.Cluster;

/// <summary>The tenant's directory grain over the shards that user grains keep up to date.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DirectoryGrainTests(ClusterFixture fixture)
{
    private readonly string _tenant = "d" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task User_grains_keep_their_shard_up_to_date()
    {
        var alice = fixture.Grains.UserSessions(_tenant, "alice");
        var bob = fixture.Grains.UserSessions(_tenant, "bob");
        var a1 = (await alice.SignOnAsync(Commands.SignOn() with { UserName = "Alice" }, SessionScope.All)).Session!;
        var a2 = (await alice.SignOnAsync(Commands.SignOn(), SessionScope.All)).Session!;
        var b1 = (await bob.SignOnAsync(Commands.SignOn(), SessionScope.All)).Session!;
        await DirectoryWaits.UntilAsync(fixture.Grains, _tenant, "three sessions listed", ids => ids.Count == 3);

        await alice.RevokeAsync(a1.Id, new SessionEnd("admin", "test"), SessionScope.All);
        await bob.SignOutAsync(b1.Id, SessionScope.All);
        await DirectoryWaits.UntilAsync(fixture.Grains, _tenant, "only a2 listed", ids => ids.SequenceEqual([a2.Id]));

        var page = await fixture.Grains.GetGrain<IDirectoryGrain>(_tenant).ListAsync(new DirectoryQuery());
        Assert.Equal("Alice", page.Items.Single().UserName);
    }

    [Fact]
    public async Task Pages_of_the_merged_shards_follow_each_other_without_gaps_or_repeats()
    {
        var expected = new List<string>();
        for (var u = 0; u < 12; u++)
        {
            var user = fixture.Grains.UserSessions(_tenant, $"user{u}");
            expected.Add((await user.SignOnAsync(Commands.SignOn(), SessionScope.All)).Session!.Id);
            expected.Add((await user.SignOnAsync(Commands.SignOn(), SessionScope.All)).Session!.Id);
        }

        await DirectoryWaits.UntilAsync(fixture.Grains, _tenant, "24 sessions listed", ids => ids.Count == 24);
        var directory = fixture.Grains.GetGrain<IDirectoryGrain>(_tenant);
        var seen = new List<string>();
        DirectoryPosition? after = null;
        do
        {
            var page = await directory.ListAsync(new DirectoryQuery { Take = 5, After = after });
            Assert.Equal(24, page.Total);
            seen.AddRange(page.Items.Select(i => i.Session.SessionId));
            after = page.Next;
        }
        while (after is not null);

        // Newest sign-on first; ULIDs of one clock grow with creation.
        Assert.Equal(expected.Order(StringComparer.Ordinal).Reverse(), seen);
        var byOffset = await directory.ListAsync(new DirectoryQuery { Offset = 20, Take = 10 });
        Assert.Equal(seen.Skip(20), byOffset.Items.Select(i => i.Session.SessionId));
        Assert.Null(byOffset.Next);
    }

    [Fact]
    public async Task Counts_and_session_lookup_cover_every_shard()
    {
        var sessions = new Dictionary<string, string>();
        for (var u = 0; u < 8; u++)
        {
            var user = fixture.Grains.UserSessions(_tenant, $"owner{u}");
            sessions[(await user.SignOnAsync(Commands.SignOn(), SessionScope.All)).Session!.Id] = $"owner{u}";
        }

        await DirectoryWaits.UntilAsync(fixture.Grains, _tenant, "8 sessions listed", ids => ids.Count == 8);
        var directory = fixture.Grains.GetGrain<IDirectoryGrain>(_tenant);

        Assert.Equal(8, (await directory.CountAsync(new DirectoryFilter())).Total);
        foreach (var (sessionId, userId) in sessions)
        {
            Assert.Equal(userId, await directory.FindUserAsync(sessionId, SessionScope.All));
        }

        Assert.Null(await directory.FindUserAsync(Ulid.NewUlid().ToString(), SessionScope.All));
    }
}

/// <summary>Waits on what the tenant's directory lists.</summary>
internal static class DirectoryWaits
{
    /// <summary>How long a one-way directory update may take to show.</summary>
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(15);

    public static Task UntilAsync(IGrainFactory grains, string tenant, string step, Func<List<string>, bool> condition)
    {
        var directory = grains.GetGrain<IDirectoryGrain>(tenant);
        return WaitForAsync($"the directory to show {step}", async () =>
        {
            var page = await directory.ListAsync(new DirectoryQuery { Take = DirectoryQuery.MaxLimit });
            return condition([.. page.Items.Select(i => i.Session.SessionId).Order(StringComparer.Ordinal)]);
        }, CatchUp);
    }
}
