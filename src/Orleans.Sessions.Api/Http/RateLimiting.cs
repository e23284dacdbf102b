using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Sessions.Api.Auth;

namespace Orleans.Sessions.Api.Http;

/// <summary>
/// <c>Sessions:RateLimits</c>: a token bucket per credential (per key, per session token) and one per client
/// address for requests without a valid credential. The defaults are far above what a node serves, so only a
/// deliberate setting limits a well-behaved client.
/// </summary>
public sealed class SessionsRateLimitOptions
{
    public const string SectionName = "Sessions:RateLimits";

    /// <summary>Requests per second one credential may make on average.</summary>
    public int PermitsPerSecond { get; set; } = 100_000;

    /// <summary>Requests one credential may make at once after being idle.</summary>
    public int Burst { get; set; } = 100_000;

    /// <summary>Requests per second from one client address without a valid credential (failed guesses included).</summary>
    public int AnonymousPermitsPerSecond { get; set; } = 1_000;

    public int AnonymousBurst { get; set; } = 2_000;
}

public static class SessionsRateLimiting
{
    public static IServiceCollection AddSessionsRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<SessionsRateLimitOptions>()
            .Validate(o => o.PermitsPerSecond > 0 && o.Burst > 0 && o.AnonymousPermitsPerSecond > 0 && o.AnonymousBurst > 0, "Sessions:RateLimits values must be positive.")
            .ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptionsMonitor<SessionsRateLimitOptions>>((options, limits) =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var current = limits.CurrentValue;
                return Caller.Of(context.User) is { } caller
                    ? RateLimitPartition.GetTokenBucketLimiter(caller.RateLimitPartition, _ => Bucket(current.PermitsPerSecond, current.Burst))
                    : RateLimitPartition.GetTokenBucketLimiter(
                        "address:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"),
                        _ => Bucket(current.AnonymousPermitsPerSecond, current.AnonymousBurst));
            });
            options.OnRejected = (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                context.HttpContext.Response.Headers.RetryAfter =
                    Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return new ValueTask(ApiSurface.For(context.HttpContext).WriteFailureAsync(context.HttpContext, AuthFailure.RateLimited));
            };
        });
        return services;
    }

    private static TokenBucketRateLimiterOptions Bucket(int permitsPerSecond, int burst) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = permitsPerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
