using Microsoft.Extensions.DependencyInjection;
using OtpNet;
using Orleans.Sessions.Auth;

namespace Orleans.Sessions.Api.Auth;

/// <summary>
/// RFC 6238 codes (HMAC-SHA1, 30-second steps, 6 digits — what authenticator apps use) for keys that
/// require a second factor: the current step and one step of clock drift either way are accepted, and
/// each step at most once per key across the cluster.
/// </summary>
public sealed class TotpVerifier(IGrainFactory grains, [FromKeyedServices(SessionsClock.Key)] TimeProvider clock)
{
    public const int StepSeconds = 30;
    public const int Digits = 6;

    private static readonly VerificationWindow OneStepOfDrift = new(previous: 1, future: 1);

    public async ValueTask<bool> VerifyAsync(string keyName, byte[] key, string? code)
    {
        if (code is null || code.Length != Digits || !code.All(char.IsAsciiDigit))
        {
            return false;
        }

        var totp = new Totp(key, StepSeconds, OtpHashMode.Sha1, Digits);
        if (!totp.VerifyTotp(clock.GetUtcNow().UtcDateTime, code, out var step, OneStepOfDrift))
        {
            return false;
        }

        return await grains.GetGrain<ITotpReplayGuardGrain>(keyName).TryUseAsync(step);
    }
}
