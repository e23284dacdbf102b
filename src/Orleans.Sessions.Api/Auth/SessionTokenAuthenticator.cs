using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Internal;
using Microsoft.Extensions.Options;
using Orleans.Sessions.Api.Telemetry;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Auth;

/// <summary>
/// Checks end-user session tokens against the hash their user grain keeps: one grain call, whose success a
/// gateway may reuse for <see cref="SessionsAuthOptions.SessionTokenCacheDuration"/> (at most a second), so a
/// revoked, ended, evicted or expired session's token stops working within that time everywhere. Failures are
/// never cached: a token becomes usable the moment it is issued. The cache's time is the session clock.
/// </summary>
public sealed class SessionTokenAuthenticator(
    IGrainFactory grains,
    IOptionsMonitor<SessionsAuthOptions> options,
    [FromKeyedServices(SessionsClock.Key)] TimeProvider clock,
    SessionsMetrics metrics) : IDisposable
{
    private const int MaxCachedTokens = 100_000;

    private readonly MemoryCache _recent = new(new MemoryCacheOptions { SizeLimit = MaxCachedTokens, Clock = new CacheClock(clock) });

    public async ValueTask<Caller?> AuthenticateAsync(string token)
    {
        if (!SessionToken.TryParse(token, out var tenant, out var userId, out var sessionId, out var secretHash))
        {
            return null;
        }

        // The secret's hash identifies the token (256 random bits); the cached caller says whose it is.
        if (_recent.TryGetValue(secretHash, out Caller? cached) && cached is not null)
        {
            metrics.TokenChecked(cacheHit: true);
            return cached;
        }

        metrics.TokenChecked(cacheHit: false);
        var valid = await grains.UserSessions(tenant, userId).AuthenticateTokenAsync(sessionId, secretHash);
        if (!valid)
        {
            return null;
        }

        var caller = Caller.SessionToken(tenant, userId, sessionId);
        var duration = options.CurrentValue.SessionTokenCacheDuration;
        if (duration > TimeSpan.Zero)
        {
            _recent.Set(secretHash, caller, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = duration, Size = 1 });
        }

        return caller;
    }

    public void Dispose() => _recent.Dispose();

    /// <summary>The session clock as the memory cache reads time.</summary>
    private sealed class CacheClock(TimeProvider clock) : ISystemClock
    {
        public DateTimeOffset UtcNow => clock.GetUtcNow();
    }
}
