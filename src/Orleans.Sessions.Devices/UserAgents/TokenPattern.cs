using System.Text;
using System.Text.RegularExpressions;

namespace Orleans.Sessions.Devices.UserAgents;

/// <summary>
/// A non-backtracking regex behind a literal prefilter: the pattern is read for the literal text every match must
/// contain (<see cref="Literals"/>: the longest run at the top level, outside groups and classes and not made optional
/// by a quantifier; with top-level alternatives, one such run per alternative, any of which must be there). A user
/// agent without any of them is dismissed by vectorized substring searches, without running the regex. The regex is
/// built the first time a user agent gets past the prefilter: building a non-backtracking regex takes milliseconds,
/// and most patterns never meet a user agent that needs them. Where the literals sit inside groups, the caller can
/// name them (<paramref name="literals"/>); the prefilter test checks them against every fixture user agent.
/// </summary>
internal sealed class TokenPattern(string source, RegexOptions options = RegexOptions.None, string[]? literals = null)
{
    private readonly Lazy<Regex> _regex = new(() => new Regex(source, options | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking));

    public Regex Regex => _regex.Value;

    /// <summary>Literal texts of which every match contains one; null when the pattern has no usable literal.</summary>
    public string[]? Literals { get; } = literals ?? RequiredLiterals(source);

    public override string ToString() => source;

    public bool MayMatch(string input)
    {
        if (Literals is null)
        {
            return true;
        }

        foreach (var literal in Literals)
        {
            if (input.Contains(literal, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public bool IsMatch(string input) => MayMatch(input) && Regex.IsMatch(input);

    public Match? Match(string input) => MayMatch(input) && Regex.Match(input) is { Success: true } match ? match : null;

    /// <summary>One required literal per top-level alternative of <paramref name="pattern"/>, or null when an
    /// alternative has none (of at least 2 characters) or the pattern sets an inline option.</summary>
    internal static string[]? RequiredLiterals(string pattern)
    {
        if (pattern.Contains("(?i", StringComparison.Ordinal))
        {
            return null;
        }

        var literals = new List<string>();
        foreach (var alternative in Alternatives(pattern))
        {
            if (RequiredLiteral(alternative) is not { } literal)
            {
                return null;
            }

            if (!literals.Contains(literal))
            {
                literals.Add(literal);
            }
        }

        return [.. literals];
    }

    /// <summary>The longest run of literal characters at the top level of one alternative (no top-level bar).</summary>
    internal static string? RequiredLiteral(string pattern)
    {
        var best = "";
        var run = new StringBuilder();
        void Flush()
        {
            if (run.Length > best.Length)
            {
                best = run.ToString();
            }

            run.Clear();
        }

        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '(' or '[':
                    Flush();
                    i = Close(pattern, i);
                    break;
                case '?' or '*' or '{':
                    if (run.Length > 0)
                    {
                        run.Length--; // the character before is optional
                    }

                    Flush();
                    if (c == '{')
                    {
                        i = pattern.IndexOf('}', i);
                    }

                    break;
                case '+' or '.' or '^' or '$':
                    Flush();
                    break;
                case '\\' when i + 1 < pattern.Length:
                    var next = pattern[++i];
                    if (char.IsLetterOrDigit(next))
                    {
                        Flush(); // \d, \b, \w…
                    }
                    else
                    {
                        run.Append(next);
                    }

                    break;
                default:
                    run.Append(c);
                    break;
            }
        }

        Flush();
        return best.Length >= 2 ? best : null;
    }

    /// <summary>The top-level alternatives of <paramref name="pattern"/> (split at bars outside groups and classes).</summary>
    private static IEnumerable<string> Alternatives(string pattern)
    {
        var from = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '\\':
                    i++;
                    break;
                case '(' or '[':
                    i = Close(pattern, i);
                    break;
                case '|':
                    yield return pattern[from..i];
                    from = i + 1;
                    break;
            }
        }

        yield return pattern[from..];
    }

    /// <summary>The index of the bracket or parenthesis closing the one at <paramref name="start"/>.</summary>
    private static int Close(string pattern, int start)
    {
        var depth = 0;
        for (var i = start; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '\\':
                    i++;
                    break;
                case '[':
                    // a class: skip to its end (a bracket right after [ or [^ is a member)
                    var j = i + 1;
                    if (j < pattern.Length && pattern[j] == '^')
                    {
                        j++;
                    }

                    if (j < pattern.Length && pattern[j] == ']')
                    {
                        j++;
                    }

                    for (; j < pattern.Length && pattern[j] != ']'; j++)
                    {
                        if (pattern[j] == '\\')
                        {
                            j++;
                        }
                    }

                    if (depth == 0)
                    {
                        return j;
                    }

                    i = j;
                    break;
                case '(':
                    depth++;
                    break;
                case ')':
                    if (--depth == 0)
                    {
                        return i;
                    }

                    break;
            }
        }

        return pattern.Length;
    }
}
