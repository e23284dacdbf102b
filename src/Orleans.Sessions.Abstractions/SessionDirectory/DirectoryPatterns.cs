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
