namespace Orleans.Sessions.Devices.Places;

/// <summary>What a GeoIP database knows of an address; any part may be unknown.</summary>
public sealed record Place(
    string? City,
    string? Region,
    string? Country,
    string? CountryCode,
    double? Latitude,
    double? Longitude);
