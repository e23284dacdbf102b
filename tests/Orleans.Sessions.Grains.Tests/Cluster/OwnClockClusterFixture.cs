using Microsoft.Extensions.Time.Testing;

namespace Orleans.Sessions.Grains.Tests.Cluster;

/// <summary>
/// A cluster that one test class has to itself (<c>IClassFixture&lt;OwnClockClusterFixture&gt;</c>), for tests that move
/// session time: the time they advance is seen by no other class, and no other class's tests can depend on it.
/// </summary>
public sealed class OwnClockClusterFixture : ClusterFixture
{
    /// <summary>Session time on this cluster's silos, moved only forward.</summary>
    public FakeTimeProvider Clock => SessionClock;
}
