using System.Text.Json;

namespace Orleans.Sessions.Api.Tests;

/// <summary>Devices through the API (docs/devices-and-places.md): parsed user agents, client hints that win, a stable per-user device hash.</summary>
[Collection(ApiCollection.Name)]
public sealed class DeviceApiTests(SessionsApiFactory factory)
{
    private const string IPhoneSafari = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1.1 Mobile/15E148 Safari/604.1";
    private const string ReducedAndroidChrome = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";

    [Fact]
    public async Task A_sign_on_shows_the_parsed_browser_system_and_device()
    {
        var api = new ApiClient(factory.CreateClient());

        var device = (await api.SignOnAsync(new { ip = "203.0.113.1", userAgent = IPhoneSafari, authMethod = "password" })).GetProperty("device");

        Assert.Equal(("Mobile Safari", "18.1.1", "18"), (device.GetProperty("browser").Str("name"), device.GetProperty("browser").Str("version"), device.GetProperty("browser").Str("major")));
        Assert.Equal(("iOS", "18.1.1"), (device.GetProperty("os").Str("name"), device.GetProperty("os").Str("version")));
        Assert.Equal(("mobile", "Apple", "iPhone"), (device.Str("type"), device.Str("vendor"), device.Str("model")));
    }

    [Fact]
    public async Task Client_hints_in_the_sign_on_win_over_the_frozen_user_agent()
    {
        var api = new ApiClient(factory.CreateClient());

        var device = (await api.SignOnAsync(new
        {
            ip = "203.0.113.1",
            userAgent = ReducedAndroidChrome,
            authMethod = "password",
            clientHints = new Dictionary<string, string>
            {
                ["Sec-CH-UA-Platform"] = "\"Android\"",
                ["Sec-CH-UA-Platform-Version"] = "\"15.0.0\"",
                ["Sec-CH-UA-Model"] = "\"Pixel 9\"",
                ["Sec-CH-UA-Mobile"] = "?1",
            },
        })).GetProperty("device");

        Assert.Equal(("Android", "15"), (device.GetProperty("os").Str("name"), device.GetProperty("os").Str("version")));
        Assert.Equal(("Google", "Pixel 9"), (device.Str("vendor"), device.Str("model")));
    }

    [Fact]
    public async Task The_device_hash_is_the_same_for_a_users_device_across_sessions_and_differs_between_users()
    {
        var alice = new ApiClient(factory.CreateClient());
        var bob = new ApiClient(factory.CreateClient());
        string Hash(JsonElement session) => session.GetProperty("device").Str("hash");

        var first = Hash(await alice.SignOnAsync(new { ip = "203.0.113.1", userAgent = IPhoneSafari, authMethod = "password" }));
        var updated = Hash(await alice.SignOnAsync(new { ip = "203.0.113.2", userAgent = IPhoneSafari.Replace("18_1_1", "18_2", StringComparison.Ordinal).Replace("18.1.1", "18.2", StringComparison.Ordinal), authMethod = "password" }));
        var otherDevice = Hash(await alice.SignOnAsync(new { ip = "203.0.113.1", userAgent = ReducedAndroidChrome, authMethod = "password" }));
        var otherUser = Hash(await bob.SignOnAsync(new { ip = "203.0.113.1", userAgent = IPhoneSafari, authMethod = "password" }));

        var sameModelOtherPhone = Hash(await alice.SignOnAsync(new { ip = "203.0.113.1", userAgent = IPhoneSafari, authMethod = "password", deviceId = "install-2" }));
        var sameInstallation = Hash(await alice.SignOnAsync(new { ip = "203.0.113.3", userAgent = IPhoneSafari, authMethod = "password", deviceId = "install-2" }));

        Assert.Equal(first, updated);
        Assert.NotEqual(first, sameModelOtherPhone);
        Assert.Equal(sameModelOtherPhone, sameInstallation);
        Assert.NotEqual(first, otherDevice);
        Assert.NotEqual(first, otherUser);
        Assert.DoesNotContain("iPhone", first, StringComparison.OrdinalIgnoreCase);
    }
}
