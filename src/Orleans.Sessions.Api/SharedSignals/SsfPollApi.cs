using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Deliveries;
using Orleans.Sessions.SharedSignals;

namespace Orleans.Sessions.Api.SharedSignals;

/// <summary>
/// Poll delivery (RFC 8936; docs/shared-signals.md, "Poll delivery"): the receiver of a poll stream POSTs its
/// acknowledgements and gets the next SETs. A poll that finds none and may wait (a long poll) asks the stream's grain
/// again every <see cref="SsfPollOptions.LongPollInterval"/> until a SET comes or <see cref="SsfPollOptions.LongPollTimeout"/>
/// passes — holding no grain and, while it waits, none of the host's overload turns; at most
/// <see cref="SsfPollOptions.MaxWaitingPolls"/> wait on a host, and the others answer at once.
/// </summary>
public static class SsfPollApi
{
    public static async Task<Results<Ok<SsfPollResponse>, ProblemHttpResult>> PollAsync(
        [AsParameters] SsfStreamRoute route, SsfPollRequest request, Caller caller, IGrainFactory grains, WaitingPolls waiting,
        IOptions<SsfPollOptions> options, IHostApplicationLifetime lifetime, HttpContext http)
    {
        var stream = grains.GetGrain<ISsfPollGrain>(DeliveryKey.Of(route.Tenant, route.StreamId));
        var poll = request.ToPoll(caller.Name);
        if (await stream.PollAsync(poll) is not { } answer)
        {
            return NotFound(route.StreamId);
        }

        if (answer.Sets.Length > 0 || request.AnswersAtOnce || options.Value.LongPollTimeout <= TimeSpan.Zero || !waiting.TryEnter())
        {
            return TypedResults.Ok(SsfPollResponse.From(answer));
        }

        try
        {
            http.Features.Get<OverloadTurn>()?.Release();
            using var gone = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
            var until = TimeProvider.System.GetUtcNow() + options.Value.LongPollTimeout;
            poll = poll with { Acks = [], Errors = [] }; // Taken by the first ask.
            while (answer.Sets.IsEmpty && TimeProvider.System.GetUtcNow() < until)
            {
                var left = until - TimeProvider.System.GetUtcNow();
                try
                {
                    await Task.Delay(left < options.Value.LongPollInterval ? left : options.Value.LongPollInterval, gone.Token);
                }
                catch (OperationCanceledException)
                {
                    break; // The receiver left, or the host stops: answer what there is (nothing), take nothing more.
                }

                if (await stream.PollAsync(poll) is not { } next)
                {
                    return NotFound(route.StreamId); // Deleted while the poll waited.
                }

                answer = next;
            }
        }
        finally
        {
            waiting.Leave();
        }

        return TypedResults.Ok(SsfPollResponse.From(answer));
    }

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No poll stream '{id}' of this receiver in this tenant.", type: ApiProblems.TypePrefix + "stream-not-found");
}
