using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Console;

/// <summary>How the console words a session's device and places, on the end user's pages and the administrators' alike.</summary>
public static class SessionText
{
    /// <summary>What a tenant or user id may be (<c>UserKey.IsValidId</c>), for pages that refuse one.</summary>
    public static string IdRule(string what) => $"A {what} id is 1–128 letters, digits, '.', '_', '@', ':' or '-'.";

    public static string Browser(string name) => name == "Other" ? "Unknown browser" : name;

    public static string Os(string name) => name == "Other" ? "an unknown system" : name;

    /// <summary>"Firefox on Windows".</summary>
    public static string Device(DeviceInfo device) => $"{Browser(device.Browser.Name)} on {Os(device.Os.Name)}";

    /// <summary>"City, Country", either alone, or null when the place is not known.</summary>
    public static string? Place(string? city, string? country) =>
        (city, country) switch
        {
            ({ } c, { } n) => $"{c}, {n}",
            (null, { } n) => n,
            ({ } c, null) => c,
            _ => null,
        };

    public static string? Place(GeoLocation location) => Place(location.City, location.Country);
}
