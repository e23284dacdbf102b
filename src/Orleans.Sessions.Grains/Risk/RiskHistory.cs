namespace Orleans.Sessions.Risk;

/// <summary>
/// What a user's risk evaluation remembers (docs/risk.md, "History"), stored with the user's sessions and bounded: the
/// devices and countries seen, each with the last time, and the last places with coordinates, newest first. Stored as
/// camelCase JSON like the rest of the user's state: property names are the storage contract.
/// </summary>
[GenerateSerializer, Alias("sessions.RiskHistory")]
public sealed class RiskHistory
{
    [Id(0)] public List<SeenDevice> Devices { get; set; } = [];

    [Id(1)] public List<SeenCountry> Countries { get; set; } = [];

    /// <summary>Newest first; a place seen again as the newest is not added again, its time moves on.</summary>
    [Id(2)] public List<SeenPlace> Places { get; set; } = [];
}

/// <summary>A device of the user (its hash, docs/devices-and-places.md) and when it was last seen.</summary>
[GenerateSerializer, Immutable, Alias("sessions.SeenDevice")]
public sealed record SeenDevice([property: Id(0)] string Hash, [property: Id(1)] DateTimeOffset LastSeen);

/// <summary>A country of the user (ISO code) and when it was last seen.</summary>
[GenerateSerializer, Immutable, Alias("sessions.SeenCountry")]
public sealed record SeenCountry([property: Id(0)] string Code, [property: Id(1)] DateTimeOffset LastSeen);

/// <summary>Where the user was (coordinates), last seen at <see cref="At"/>.</summary>
[GenerateSerializer, Immutable, Alias("sessions.SeenPlace")]
public sealed record SeenPlace(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] double Latitude,
    [property: Id(2)] double Longitude);
