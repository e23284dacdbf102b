using Microsoft.Extensions.Options;
using Orleans.Sessions.SharedSignals;

namespace Orleans.Sessions.Api.SharedSignals;

/// <summary>The Shared Signals polls waiting on this host, at most <see cref="SsfPollOptions.MaxWaitingPolls"/>.</summary>
public sealed class WaitingPolls(IOptions<SsfPollOptions> options)
{
    private int _waiting;

    /// <summary>Takes a place to wait, if one is free; <see cref="Leave"/> gives it back.</summary>
    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _waiting) <= options.Value.MaxWaitingPolls)
        {
            return true;
        }

        Interlocked.Decrement(ref _waiting);
        return false;
    }

    public void Leave() => Interlocked.Decrement(ref _waiting);
}
