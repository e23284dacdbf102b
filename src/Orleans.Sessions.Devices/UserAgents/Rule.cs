using System.Text.RegularExpressions;

namespace Orleans.Sessions.Devices.UserAgents;

/// <summary>
/// One rule of an ordered table: the first rule whose pattern matches decides. <see cref="Name"/> may take the
/// capture <c>name</c> (<c>$name</c>) or carry a fixed version after a bar (<c>Windows|10</c>); otherwise the version
/// is the capture <c>v</c> (unless <see cref="VersionGroup"/> is 0), with underscores read as dots. Patterns run on
/// the non-backtracking engine behind a literal prefilter (<see cref="TokenPattern"/>): no user agent can make a
/// lookup slow, and most rules of a table are dismissed without running their regex.
/// </summary>
internal sealed class Rule(string source, string name, int versionGroup = 1, string[]? literals = null)
{
    private readonly string? _fixedVersion = name.IndexOf('|') is var bar and > 0 ? name[(bar + 1)..] : null;

    public TokenPattern Pattern { get; } = new(source, RegexOptions.ExplicitCapture, literals);

    /// <summary>The family, without a fixed version (<c>Windows</c> of <c>Windows|10</c>).</summary>
    public string Name { get; } = name.IndexOf('|') is var bar and > 0 ? name[..bar] : name;

    public int VersionGroup { get; } = versionGroup;

    public static Rule Of(string pattern, string name, int versionGroup = 1, string[]? literals = null) => new(pattern, name, versionGroup, literals);

    public (string Name, string? Version)? Apply(string userAgent)
    {
        if (Pattern.Match(userAgent) is not { } match)
        {
            return null;
        }

        if (_fixedVersion is not null)
        {
            return (Name, _fixedVersion); // a fixed version: Windows NT 10.0 is "10"
        }

        var name = Name.Contains("$name", StringComparison.Ordinal) ? Name.Replace("$name", match.Groups["name"].Value, StringComparison.Ordinal) : Name;

        var version = VersionGroup > 0 && match.Groups["v"].Success && match.Groups["v"].Length > 0
            ? match.Groups["v"].Value.Replace('_', '.').TrimEnd('.')
            : null;
        return (name, version);
    }
}
