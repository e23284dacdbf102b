namespace Orleans.Sessions.Auth;

/// <summary>
/// One administrator's sign-in to the web console (docs/console.md, "Administration"), keyed by the SHA-256 of the
/// opaque handle its cookie carries (so the handle itself is never a grain id in a log). Held in memory only: the API
/// key's hash, when it began and when it was last used. It ends after <see cref="ConsoleSignInTerms.IdleTimeout"/>
/// without use, after <see cref="ConsoleSignInTerms.MaxLifetime"/> in any case, when the administrator signs out, or
/// when the silo holding it stops.
/// </summary>
[Alias("sessions.IConsoleSignInGrain")]
public interface IConsoleSignInGrain : IGrainWithStringKey
{
    /// <summary>Begins the sign-in for the key whose secret hashes to <paramref name="keyHash"/>.</summary>
    [Alias("Begin")]
    Task BeginAsync(byte[] keyHash, ConsoleSignInTerms terms);

    /// <summary>The key's hash while the sign-in lasts, counting this as use; null when there is none or it has ended.</summary>
    [Alias("Use")]
    Task<byte[]?> UseAsync();

    /// <summary>Ends the sign-in.</summary>
    [Alias("End")]
    Task EndAsync();
}

/// <summary>How long a console sign-in lasts: without use, and at most.</summary>
[GenerateSerializer, Immutable, Alias("sessions.ConsoleSignInTerms")]
public sealed record ConsoleSignInTerms(
    [property: Id(0)] TimeSpan IdleTimeout,
    [property: Id(1)] TimeSpan MaxLifetime);
