namespace Orleans.Sessions.Auth;

/// <summary>
/// In memory only: a code lives for at most three 30-second steps (one step of drift either way), far less
/// than an idle grain lives, so only the loss of a silo could forget a step — and then only codes of the last
/// 90 seconds that were already used once.
/// </summary>
[GrainType("totpguard")]
public sealed class TotpReplayGuardGrain : Grain, ITotpReplayGuardGrain
{
    private long _lastUsedStep = long.MinValue;

    public Task<bool> TryUseAsync(long timeStep)
    {
        if (timeStep <= _lastUsedStep)
        {
            return Task.FromResult(false);
        }

        _lastUsedStep = timeStep;
        return Task.FromResult(true);
    }
}
