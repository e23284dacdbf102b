using System.Collections.Frozen;

namespace Orleans.Sessions.Events;

/// <summary>The public names of <see cref="SessionEventType"/> (<c>session.created</c>…), as the feed, webhooks and filters spell them.</summary>
public static class SessionEventTypes
{
    private static readonly FrozenDictionary<SessionEventType, string> Names = Enum.GetValues<SessionEventType>()
        .ToFrozenDictionary(type => type, type => "session." + type.ToString().ToLowerInvariant());

    private static readonly FrozenDictionary<string, SessionEventType> Types = Names
        .ToFrozenDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    /// <summary>Every public name, in the order of the enum.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Enum.GetValues<SessionEventType>().Select(type => Names[type])];

    public static string Name(this SessionEventType type) => Names[type];

    public static bool TryParse(string? name, out SessionEventType type) => Types.TryGetValue(name ?? "", out type);
}
