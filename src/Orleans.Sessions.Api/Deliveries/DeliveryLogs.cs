using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Deliveries;

namespace Orleans.Sessions.Api.Deliveries;

/// <summary>A receiver's delivery log as the API answers it (<c>GET …/deliveries?limit=</c>): the newest attempts, 1–200, default 50.</summary>
public static class DeliveryLogs
{
    public const int MaxLimit = 200;
    public const int DefaultLimit = 50;

    /// <param name="tenant">Whose receiver.</param>
    /// <param name="limit">The query's <c>limit</c>, as sent.</param>
    /// <param name="receiverId">The receiver's delivery id (<c>ep_…</c>, <c>rp_…</c>), or null when there is no such receiver.</param>
    /// <param name="notFound">The answer for a receiver that does not exist.</param>
    /// <param name="grains">Where the delivery is.</param>
    public static async Task<Results<Ok<DeliveryAttemptsResponse>, ValidationProblem, ProblemHttpResult>> ReadAsync(
        string tenant, string? limit, Func<Task<string?>> receiverId, Func<ProblemHttpResult> notFound, IGrainFactory grains)
    {
        var errors = new InputErrors();
        var take = InputRules.Integer(errors, "limit", limit, 1, MaxLimit, DefaultLimit);
        if (!errors.IsEmpty)
        {
            return ApiProblems.Validation(errors);
        }

        if (await receiverId() is not { } id)
        {
            return notFound();
        }

        var attempts = await grains.GetGrain<IEventDeliveryGrain>(DeliveryKey.Of(tenant, id)).LogAsync(take);
        return TypedResults.Ok(new DeliveryAttemptsResponse([.. attempts.Select(DeliveryAttemptResponse.From)]));
    }
}
