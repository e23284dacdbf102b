using Orleans.Sessions.Grains.Tests.Users;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Grains.Tests.Cluster;

/// <summary>The user grain through a two-silo cluster of this class's own, whose session clock its expiry test moves.</summary>
public sealed class UserSessionsGrainTests(OwnClockClusterFixture fixture) : IClassFixture<OwnClockClusterFixture>
{
    [Fact]
    public async Task Sign_on_returns_the_session_and_a_token_that_names_it()
    {
        var (grain, tenant, userId) = NewUser();

        var result = await grain.SignOnAsync(Commands.SignOn(clientId: "web"), SessionScope.All);

        Assert.Equal(SessionError.None, result.Error);
        var session = result.Session!;
        Assert.Equal((tenant, userId, SessionStatus.Active), (session.Tenant, session.UserId, session.Status));
        Assert.True(SessionToken.TryParse(result.Token, out var t, out var u, out var s, out var secretHash));
        Assert.Equal((tenant, userId, session.Id), (t, u, s));
        Assert.Equal(64, secretHash.Length);
    }

    [Fact]
    public async Task The_token_is_stored_only_as_a_hash()
    {
        var (grain, _, _) = NewUser();
        var result = await grain.SignOnAsync(Commands.SignOn(), SessionScope.All);
        SessionToken.TryParse(result.Token, out _, out _, out _, out var secretHash);

        var stored = await fixture.ReadStoredJsonAsync(grain);

        Assert.NotNull(stored);
        Assert.Contains(secretHash!, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Token!.Split('.')[1], stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_operation_works_through_the_cluster_and_survives_reactivation()
    {
        var (grain, _, _) = NewUser();
        var first = (await grain.SignOnAsync(Commands.SignOn(ip: "198.51.100.1", clientId: "web"), SessionScope.All)).Session!;
        var second = (await grain.SignOnAsync(Commands.SignOn(ip: "198.51.100.2"), SessionScope.All)).Session!;
        var third = (await grain.SignOnAsync(Commands.SignOn(ip: "198.51.100.3"), SessionScope.All)).Session!;

        Assert.Equal(SessionError.None, (await grain.ReauthenticateAsync(first.Id, Commands.Reauthenticate(ip: "198.51.100.9"), SessionScope.All)).Error);
        Assert.Equal(SessionError.None, (await grain.RecordActivityAsync(second.Id, Commands.Activity(ip: "198.51.100.8", clientId: "mobile"), SessionScope.All)).Error);
        Assert.Equal(SessionStatus.Ended, (await grain.SignOutAsync(second.Id, SessionScope.All)).Session!.Status);
        Assert.Equal(SessionStatus.Revoked, (await grain.RevokeAsync(third.Id, new SessionEnd("admin", "stolen"), SessionScope.All)).Session!.Status);
        Assert.Equal(SessionError.NotActive, (await grain.RevokeAsync(third.Id, new SessionEnd("admin", "again"), SessionScope.All)).Error);
        Assert.Equal(SessionError.NotFound, (await grain.SignOutAsync(SessionIdGenerator.Next(DateTimeOffset.UtcNow, null), SessionScope.All)).Error);

        await fixture.Cluster.DeactivateAsync(grain);

        var sessions = (await grain.ListAsync(new SessionQuery(), SessionScope.All)).Items;
        Assert.Equal([third.Id, second.Id, first.Id], sessions.Select(s => s.Id));
        Assert.Equal([SessionStatus.Revoked, SessionStatus.Ended, SessionStatus.Active], sessions.Select(s => s.Status));
        Assert.Equal(["mfa", "password"], sessions[2].SignOns.Select(s => s.Method));
        Assert.Equal(["198.51.100.9", "198.51.100.1"], sessions[2].Locations.Select(l => l.Ip));
        Assert.Equal(["198.51.100.8", "198.51.100.2"], sessions[1].Locations.Select(l => l.Ip));
        Assert.Equal(new SessionEnd("admin", "stolen"), sessions[0].End);

        var revoked = await grain.RevokeAllAsync(new SessionEnd("security", "reset"), exceptSessionId: null, SessionScope.All);
        Assert.Equal([first.Id], revoked.RevokedSessionIds);
        Assert.Equal(SessionStatus.Revoked, (await grain.GetAsync(first.Id, SessionScope.All))!.Status);
        Assert.Null(await grain.GetAsync(SessionIdGenerator.Next(DateTimeOffset.UtcNow, null), SessionScope.All));
    }

    [Fact]
    public async Task Three_hundred_concurrent_sign_ons_on_one_user_leave_exactly_ten_ordered_sessions()
    {
        var (grain, _, _) = NewUser();

        var results = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => grain.SignOnAsync(Commands.SignOn(ip: $"10.0.{i / 256}.{i % 256}"), SessionScope.All)));

        Assert.All(results, r => Assert.Equal(SessionError.None, r.Error));
        var issued = results.Select(r => r.Session!.Id).ToList();
        Assert.Equal(300, issued.Distinct().Count());
        var listed = (await grain.ListAsync(new SessionQuery { Limit = SessionQuery.MaxLimit }, SessionScope.All)).Items.Select(s => s.Id).ToList();
        Assert.Equal(issued.Order(StringComparer.Ordinal).TakeLast(10).Reverse(), listed);

        await fixture.Cluster.DeactivateAsync(grain);
        var afterReload = (await grain.ListAsync(new SessionQuery { Limit = SessionQuery.MaxLimit }, SessionScope.All)).Items.Select(s => s.Id);
        Assert.Equal(listed, afterReload);
    }

    [Fact]
    public async Task Coalesced_activity_is_stored_on_deactivation_not_before()
    {
        var (grain, _, _) = NewUser();
        var session = (await grain.SignOnAsync(Commands.SignOn(ip: "192.0.2.1"), SessionScope.All)).Session!;

        await grain.RecordActivityAsync(session.Id, Commands.Activity(ip: "192.0.2.77"), SessionScope.All);
        Assert.DoesNotContain("192.0.2.77", await fixture.ReadStoredJsonAsync(grain), StringComparison.Ordinal);

        await fixture.Cluster.DeactivateAsync(grain);

        Assert.Contains("192.0.2.77", await fixture.ReadStoredJsonAsync(grain), StringComparison.Ordinal);
        Assert.Equal("192.0.2.77", (await grain.GetAsync(session.Id, SessionScope.All))!.Locations[0].Ip);
    }

    [Fact]
    public async Task Expiry_follows_the_session_clock_and_is_stored_with_the_next_write()
    {
        var (grain, _, _) = NewUser();
        var session = (await grain.SignOnAsync(Commands.SignOn(idleTimeout: TimeSpan.FromMinutes(1)), SessionScope.All)).Session!;

        fixture.Clock.Advance(TimeSpan.FromSeconds(61));

        var expired = (await grain.GetAsync(session.Id, SessionScope.All))!;
        Assert.Equal((SessionStatus.Expired, session.IdleExpiresAt), (expired.Status, expired.EndedAt));
        Assert.Equal(SessionError.NotActive, (await grain.RecordActivityAsync(session.Id, Commands.Activity(), SessionScope.All)).Error);
        await grain.SignOnAsync(Commands.SignOn(), SessionScope.All);
        Assert.Contains("\"status\":\"expired\"", await fixture.ReadStoredJsonAsync(grain), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keyset_paging_in_ascending_order_works_across_the_wire()
    {
        var (grain, _, _) = NewUser();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await grain.SignOnAsync(Commands.SignOn(), SessionScope.All)).Session!.Id);
        }

        var seen = new List<string>();
        SessionListPosition? after = null;
        do
        {
            var page = await grain.ListAsync(new SessionQuery { Descending = false, Limit = 2, After = after }, SessionScope.All);
            seen.AddRange(page.Items.Select(s => s.Id));
            after = page.Next;
        }
        while (after is not null);

        Assert.Equal(ids, seen);
    }

    private (IUserSessionsGrain Grain, string Tenant, string UserId) NewUser()
    {
        var tenant = "t" + Guid.NewGuid().ToString("N")[..8];
        var userId = "u" + Guid.NewGuid().ToString("N")[..8];
        return (fixture.Grains.GetGrain<IUserSessionsGrain>(UserKey.Format(tenant, userId)), tenant, userId);
    }
}
