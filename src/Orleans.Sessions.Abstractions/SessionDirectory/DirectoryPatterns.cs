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

    private const int CacheSize = 256;
    private static readonly ConcurrentDictionary<string, Regex> Cache = new(StringComparer.Ordinal);

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
            Get(pattern);
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
        var pool = Pools.GetOrAdd(pattern, static _ => []);
        if (Pools.Count > CacheSize)
        {
            Pools.Clear();
        }

        return new RegexLease(pool, pool.TryTake(out var regex) ? regex : new Regex(pattern, Options));
    }

    public static Regex Get(string pattern)
    {
        if (Cache.TryGetValue(pattern, out var regex))
        {
            return regex;
        }

        regex = new Regex(pattern, Options);
        if (Cache.Count >= CacheSize)
        {
            Cache.Clear();
        }

        return Cache.GetOrAdd(pattern, regex);
    }
}

/// <summary>A rented regex: used by one caller at a time, returned to its pool on dispose.</summary>
public readonly struct RegexLease(ConcurrentBag<Regex> pool, Regex regex) : IDisposable
{
    public Regex Regex { get; } = regex;

    public void Dispose() => pool.Add(Regex);
}
