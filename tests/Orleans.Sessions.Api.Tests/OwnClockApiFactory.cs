using Microsoft.Extensions.Time.Testing;

namespace Orleans.Sessions.Api.Tests;

/// <summary>
/// A host that one test class has to itself (<c>IClassFixture&lt;OwnClockApiFactory&gt;</c>), for tests that move session
/// time: the time they advance is seen by no other class, and no other class's tests can depend on it.
/// </summary>
public class OwnClockApiFactory : SessionsApiFactory
{
    /// <summary>Session time on this host; moving it is this class's business only.</summary>
    public FakeTimeProvider Clock => SessionClock;
}
