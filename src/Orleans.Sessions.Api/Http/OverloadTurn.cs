using System.Threading.RateLimiting;

namespace Orleans.Sessions.Api.Http;

/// <summary>
/// The turn a request holds under <see cref="OverloadOptions"/>, in the request's features: a handler that waits
/// without working — a Shared Signals long poll — gives it back for the wait, so waiting receivers do not take the
/// turns of requests that work.
/// </summary>
public sealed class OverloadTurn(RateLimitLease lease) : IDisposable
{
    private RateLimitLease? _lease = lease;

    /// <summary>Gives the turn back (once; later calls do nothing).</summary>
    public void Release() => Interlocked.Exchange(ref _lease, null)?.Dispose();

    public void Dispose() => Release();
}
