using Microsoft.Extensions.Configuration;
using Orleans.Sessions.Hosting;

namespace Orleans.Sessions.Api.Tests.Hosting;

/// <summary>Where a host listens when its configuration names nothing: http://localhost:8080, and only then.</summary>
public sealed class ListenAddressDefaultTests
{
    [Theory]
    [InlineData("urls", "http://127.0.0.1:9999")]
    [InlineData("http_ports", "9999")]
    [InlineData("https_ports", "9443")]
    public void An_address_or_a_port_in_the_configuration_is_followed(string key, string value) =>
        Assert.True(SessionsHostDefaults.ListensWhereConfigured(new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create(key, (string?)value)]).Build()));

    [Fact]
    public void Nothing_configured_means_the_default_address()
    {
        Assert.False(SessionsHostDefaults.ListensWhereConfigured(new ConfigurationBuilder().Build()));
        Assert.Equal("http://localhost:8080", SessionsHostDefaults.DefaultUrls);
    }

    [Fact]
    public void The_project_settings_files_pin_no_address()
    {
        var files = Directory.GetFiles(AppContext.BaseDirectory, "appsettings*.json");
        Assert.Contains(files, f => Path.GetFileName(f) == "appsettings.json");
        foreach (var file in files)
        {
            var settings = new ConfigurationBuilder().AddJsonFile(file).Build();
            Assert.False(SessionsHostDefaults.ListensWhereConfigured(settings), $"{Path.GetFileName(file)} sets where to listen, which would outrank ASPNETCORE_URLS");
        }
    }
}
