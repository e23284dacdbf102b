using Orleans.Sessions.Grains.Tests.Users;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Grains.Tests.Cluster;

/// <summary>References made without Orleans' per-call type resolution name the same grain and interface, and reach it.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GrainReferencesTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_reference_from_the_cached_types_is_the_one_Orleans_makes_and_reaches_the_grain()
    {
        var keys = Enumerable.Range(0, 3).Select(i => UserKey.Format("refs-" + Guid.NewGuid().ToString("N")[..8], $"user-{i}")).ToList();
        foreach (var key in keys)
        {
            var usual = (GrainReference)(object)fixture.Grains.GetGrain<IUserSessionsGrain>(key);
            var cached = (GrainReference)(object)GrainReferences<IUserSessionsGrain>.Get(fixture.Grains, key);
            Assert.Equal(usual.GrainId, cached.GrainId);
            Assert.Equal(usual.InterfaceType, cached.InterfaceType);
        }

        var grain = GrainReferences<IUserSessionsGrain>.Get(fixture.Grains, keys[^1]);
        var signedOn = await grain.SignOnAsync(Commands.SignOn(), SessionScope.All);
        Assert.Equal(SessionError.None, signedOn.Error);
        Assert.Equal(signedOn.Session!.Id, (await fixture.Grains.GetGrain<IUserSessionsGrain>(keys[^1]).GetAsync(signedOn.Session.Id, SessionScope.All))?.Id);
    }
}
