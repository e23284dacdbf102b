using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Orleans.Sessions.SessionDirectory;

/// <summary>
/// The regular expressions of list-all: case-insensitive, run by the non-backtracking engine, whose matching
/// time is linear in the input whatever the pattern, so no pattern can hang a shard. (A backtracking engine
/// with a match timeout was tried: faster per match, but its wall-clock timeouts fire on a busy machine and
/// a pattern just below the timeout can still cost seconds over a million sessions.)
/// </summary>
public static class DirectoryPatterns
{
    public const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking;

    private const int MaxPatterns = 256;

    // A Regex keeps one cached runner: threads matching with the same instance at once build a fresh runner
    // (with its own lazily built automaton) for each call, which costs several times the match. A query
    // rents an instance for its whole scan instead; instances return warm to a pool per pattern.
    private static readonly ConcurrentDictionary<string, ConcurrentBag<Regex>> Pools = new(StringComparer.Ordinal);

    /// <summary>
    /// Checks a client's pattern: length, syntax, and what the non-backtracking engine supports (no
    /// backreferences, lookarounds or atomic groups).
    /// </summary>
    public static bool TryValidate(string pattern, [NotNullWhen(false)] out string? error)
    {
        error = null;
        if (pattern.Length is 0 or > DirectoryFilter.MaxPatternLength)
        {
            error = $"The pattern must be 1-{DirectoryFilter.MaxPatternLength} characters.";
            return false;
        }

        try
        {
            // Compiling it is the check; the instance then waits in the pool for the query that follows.
            Rent(pattern).Dispose();
            return true;
        }
        catch (ArgumentException exception)
        {
            error = $"The pattern is not a valid regular expression: {exception.Message}";
        }
        catch (NotSupportedException exception)
        {
            error = $"The pattern uses a construct that is not supported (backreferences, lookarounds, atomic groups): {exception.Message}";
        }

        return false;
    }

    /// <summary>An instance of the pattern's regex for one caller's loop; dispose the lease to give it back.</summary>
    public static RegexLease Rent(string pattern)
    {
        if (Pools.TryGetValue(pattern, out var pool) && pool.TryTake(out var warm))
        {
            return new RegexLease(pool, warm);
        }

        // Compiled before anything is kept, so an invalid pattern leaves no pool behind.
        var regex = new Regex(pattern, Options);
        if (Pools.Count >= MaxPatterns)
        {
            Pools.Clear();
        }

        return new RegexLease(Pools.GetOrAdd(pattern, static _ => []), regex);
    }
}

/// <summary>A rented regex: used by one caller at a time, returned to its pool on dispose.</summary>
public readonly struct RegexLease(ConcurrentBag<Regex> pool, Regex regex) : IDisposable
{
    public Regex Regex { get; } = regex;

    public void Dispose() => pool.Add(Regex);
}
