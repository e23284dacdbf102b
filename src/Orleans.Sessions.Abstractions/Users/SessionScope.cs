using System.Collections.Immutable;

namespace Orleans.Sessions.Users;

/// <summary>
/// Which of a user's sessions a caller may see and act on (docs/security.md, "Population scope"): every session, or — for a key
/// limited to populations, PingOne's population-level administrator — only the sessions that carry one of
/// them. Sessions outside the scope are treated as if they did not exist, so an answer never reveals them.
/// </summary>
[GenerateSerializer, Immutable, Alias("sessions.SessionScope")]
public sealed record SessionScope([property: Id(0)] ImmutableArray<string> Populations)
{
    public static SessionScope All { get; } = new(ImmutableArray<string>.Empty);

    [System.Text.Json.Serialization.JsonIgnore] // Derived: not stored with a job's filter.
    public bool IsAll => Populations.IsDefaultOrEmpty;

    public bool Allows(string? populationId) =>
        IsAll || (populationId is not null && Populations.Contains(populationId, StringComparer.Ordinal));

    public bool Allows(Session session) => Allows(session.PopulationId);
}
