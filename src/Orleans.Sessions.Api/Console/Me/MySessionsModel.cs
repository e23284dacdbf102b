using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Console.Me;

/// <summary>What the "where you're signed in" page shows.</summary>
public sealed record MySessionsModel(IReadOnlyList<SessionCard> Cards, string Language, string? Notice);

/// <summary>One active session as a card: its device, its newest place, how long since it was used, and its places.</summary>
public sealed record SessionCard(
    string Id,
    string DeviceType,
    string Browser,
    string Os,
    string? Place,
    DateTimeOffset ActiveAt,
    string ActiveAgo,
    bool ThisDevice,
    IReadOnlyList<PlaceVisit> Timeline);

/// <summary>A place a session was used from, and when.</summary>
public sealed record PlaceVisit(DateTimeOffset At, string Ago, string Ip, string Place)
{
    /// <summary>A session's places, newest first, as the console's pages show them.</summary>
    public static IReadOnlyList<PlaceVisit> Timeline(Session session, DateTimeOffset now, string language) =>
        [.. session.Locations.Select(l => new PlaceVisit(l.At, RelativeTime.Ago(l.At, now, language), l.Ip, SessionText.Place(l) ?? "Place unknown"))];
}
