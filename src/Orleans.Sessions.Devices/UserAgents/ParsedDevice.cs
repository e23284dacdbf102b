namespace Orleans.Sessions.Devices.UserAgents;

/// <summary>A browser (or app, library, crawler) with its version; names follow the ua-parser family (<c>Chrome Mobile</c>, <c>Mobile Safari</c>).</summary>
public sealed record BrowserName(string Name, string? Version)
{
    public static BrowserName Other { get; } = new("Other", null);

    /// <summary>The first part of the version (<c>131</c> of <c>131.0.6778.85</c>).</summary>
    public string? Major => Version is null ? null : Version.Split('.')[0];
}

/// <summary>An operating system with its version (<c>Mac OS X</c> <c>10.15.7</c>, <c>Windows</c> <c>10</c>).</summary>
public sealed record OsName(string Name, string? Version)
{
    public static OsName Other { get; } = new("Other", null);
}

/// <summary>The kinds of device a session is used from.</summary>
public static class DeviceTypes
{
    public const string Desktop = "desktop";
    public const string Mobile = "mobile";
    public const string Tablet = "tablet";
    public const string Tv = "tv";
    public const string Console = "console";
    public const string Wearable = "wearable";
    public const string Bot = "bot";
    public const string Other = "other";
}

/// <summary>What a user agent (and the client hints sent with it) says about the device.</summary>
public sealed record ParsedDevice(BrowserName Browser, OsName Os, string Type, string? Vendor, string? Model)
{
    public static ParsedDevice Unknown { get; } = new(BrowserName.Other, OsName.Other, DeviceTypes.Other, null, null);
}
