using Orleans.Sessions.Devices.UserAgents;

namespace Orleans.Sessions.Devices.Tests.UserAgents;

/// <summary>Client hints win over the frozen user-agent string.</summary>
public sealed class ClientHintTests
{
    private const string ReducedWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private const string ReducedAndroid = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";

    private readonly UserAgentParser _parser = new();

    [Fact]
    public void Windows_11_is_told_by_its_platform_version()
    {
        var parsed = _parser.Parse(ReducedWindows, new Dictionary<string, string>
        {
            ["Sec-CH-UA-Platform"] = "\"Windows\"",
            ["Sec-CH-UA-Platform-Version"] = "\"15.0.0\"",
            ["Sec-CH-UA-Full-Version-List"] = "\"Google Chrome\";v=\"131.0.6778.86\", \"Chromium\";v=\"131.0.6778.86\", \"Not_A Brand\";v=\"24.0.0.0\"",
        });

        Assert.Equal(("Windows", "11"), (parsed.Os.Name, parsed.Os.Version));
        Assert.Equal(("Chrome", "131.0.6778.86"), (parsed.Browser.Name, parsed.Browser.Version));
    }

    [Fact]
    public void Windows_10_stays_10()
    {
        var parsed = _parser.Parse(ReducedWindows, new Dictionary<string, string> { ["sec-ch-ua-platform"] = "Windows", ["sec-ch-ua-platform-version"] = "10.0.0" });

        Assert.Equal("10", parsed.Os.Version);
    }

    [Fact]
    public void The_real_Android_model_and_version_come_from_the_hints()
    {
        var parsed = _parser.Parse(ReducedAndroid, new Dictionary<string, string>
        {
            ["Sec-CH-UA-Platform"] = "\"Android\"",
            ["Sec-CH-UA-Platform-Version"] = "\"14.0.0\"",
            ["Sec-CH-UA-Model"] = "\"SM-S918B\"",
            ["Sec-CH-UA-Mobile"] = "?1",
            ["Sec-CH-UA"] = "\"Google Chrome\";v=\"131\", \"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\"",
        });

        Assert.Equal(("Android", "14"), (parsed.Os.Name, parsed.Os.Version));
        Assert.Equal(("Samsung", "SM-S918B", "mobile"), (parsed.Vendor, parsed.Model, parsed.Type));
        Assert.Equal("Chrome Mobile", parsed.Browser.Name);
    }

    [Fact]
    public void Edge_and_Brave_are_named_by_their_brand()
    {
        var edge = _parser.Parse(ReducedWindows, new Dictionary<string, string> { ["Sec-CH-UA"] = "\"Microsoft Edge\";v=\"131\", \"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\"" });
        var brave = _parser.Parse(ReducedWindows, new Dictionary<string, string> { ["Sec-CH-UA"] = "\"Brave\";v=\"131\", \"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\"" });

        Assert.Equal("Edge", edge.Browser.Name);
        Assert.Equal("Brave", brave.Browser.Name);
    }

    [Fact]
    public void Hints_that_say_nothing_leave_the_user_agent_answer()
    {
        var plain = _parser.Parse(ReducedWindows);

        Assert.Equal(plain, _parser.Parse(ReducedWindows, new Dictionary<string, string> { ["Sec-CH-UA-Platform"] = "\"\"" }));
        Assert.Equal(plain, _parser.Parse(ReducedWindows, new Dictionary<string, string>()));
    }
}
