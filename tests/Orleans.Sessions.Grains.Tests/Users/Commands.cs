using Orleans.Sessions.Users;

namespace Orleans.Sessions.Grains.Tests.Users;

/// <summary>Commands as a gateway would send them, with overridable parts.</summary>
internal static class Commands
{
    public static readonly DeviceInfo Device = new("Mozilla/5.0 (test)", new BrowserInfo("Other", null, null), new OsInfo("Other", null), "other", null, null, "hash");

    public static SignOnCommand SignOn(string ip = "203.0.113.1", string method = "password", string? clientId = null, TimeSpan? expiresIn = null, TimeSpan? idleTimeout = null) =>
        new() { Ip = ip, Device = Device, AuthMethod = method, ClientId = clientId, ExpiresIn = expiresIn, IdleTimeout = idleTimeout };

    public static ReauthenticateCommand Reauthenticate(string ip = "203.0.113.1", string method = "mfa") =>
        new() { Ip = ip, AuthMethod = method };

    public static ActivityCommand Activity(string? ip = null, string? clientId = null) =>
        new() { Ip = ip, ClientId = clientId };
}
