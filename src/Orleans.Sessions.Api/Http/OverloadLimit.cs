using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Orleans.Sessions.Api.Auth;

namespace Orleans.Sessions.Api.Http;

/// <summary>
/// <c>Sessions:Overload</c> (docs/operations.md, "Overload"): how many API requests a host works on at once and how many
/// more wait for a turn; past that a request is refused at once with 503 and <c>Retry-After</c>, so overload becomes
/// quick refusals instead of a queue — and latency — without bound.
/// </summary>
public sealed class OverloadOptions
{
    public const string SectionName = "Sessions:Overload";

    /// <summary>API requests in progress at once.</summary>
    [Range(1, 1_000_000)]
    public int MaxConcurrentRequests { get; set; } = 256;

    /// <summary>API requests that may wait for one of those turns, oldest first.</summary>
    [Range(0, 1_000_000)]
    public int QueueLimit { get; set; } = 256;
}

[OptionsValidator]
public sealed partial class OverloadOptionsValidator : IValidateOptions<OverloadOptions>;

/// <summary>
/// Holds every API request to <see cref="OverloadOptions"/>' bound. What is exempt from rate limits — the health probes
/// and the metrics scrape (<see cref="DisableRateLimitingAttribute"/> on their endpoints) — passes freely here too: an
/// overloaded host is still alive and must still say how it is doing.
/// </summary>
public sealed class OverloadLimitMiddleware(RequestDelegate next, IOptions<OverloadOptions> options) : IDisposable
{
    private readonly ConcurrencyLimiter _limiter = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = options.Value.MaxConcurrentRequests,
        QueueLimit = options.Value.QueueLimit,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<DisableRateLimitingAttribute>() is not null)
        {
            await next(context);
            return;
        }

        var lease = _limiter.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            try
            {
                lease = await _limiter.AcquireAsync(1, context.RequestAborted);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                return; // The client left while waiting for a turn: nobody to answer.
            }
        }

        if (!lease.IsAcquired)
        {
            lease.Dispose();
            context.Response.Headers.RetryAfter = "1";
            await ApiSurface.For(context).WriteFailureAsync(context, AuthFailure.Overloaded);
            return;
        }

        using var turn = new OverloadTurn(lease);
        context.Features.Set(turn);
        await next(context);
    }

    public void Dispose() => _limiter.Dispose();
}
