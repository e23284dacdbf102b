using Microsoft.Extensions.DependencyInjection;

namespace Orleans.Sessions.Auth;

/// <summary>
/// A console sign-in held in memory (<see cref="IConsoleSignInGrain"/>): nothing about it is stored, so the silo
/// holding it stopping ends it, as its idle timeout would. Each use keeps the activation alive for the idle timeout.
/// </summary>
[GrainType("consolesignin")]
public sealed class ConsoleSignInGrain([FromKeyedServices(SessionsClock.Key)] TimeProvider clock) : Grain, IConsoleSignInGrain
{
    private byte[]? _keyHash;
    private ConsoleSignInTerms? _terms;
    private DateTimeOffset _began;
    private DateTimeOffset _lastUsed;

    public Task BeginAsync(byte[] keyHash, ConsoleSignInTerms terms)
    {
        ArgumentNullException.ThrowIfNull(keyHash);
        ArgumentNullException.ThrowIfNull(terms);
        if (_keyHash is not null)
        {
            // A handle is 32 random bytes: one that begins twice is a bug, never a second administrator.
            throw new InvalidOperationException("This console sign-in has begun already.");
        }

        _keyHash = keyHash;
        _terms = terms;
        _began = _lastUsed = clock.GetUtcNow();
        DelayDeactivation(terms.IdleTimeout);
        return Task.CompletedTask;
    }

    public Task<byte[]?> UseAsync()
    {
        if (_keyHash is null || _terms is null)
        {
            return Task.FromResult<byte[]?>(null);
        }

        var now = clock.GetUtcNow();
        if (now - _lastUsed >= _terms.IdleTimeout || now - _began >= _terms.MaxLifetime)
        {
            End();
            return Task.FromResult<byte[]?>(null);
        }

        _lastUsed = now;
        DelayDeactivation(_terms.IdleTimeout);
        return Task.FromResult<byte[]?>(_keyHash);
    }

    public Task EndAsync()
    {
        End();
        return Task.CompletedTask;
    }

    private void End()
    {
        _keyHash = null;
        _terms = null;
        DeactivateOnIdle();
    }
}
