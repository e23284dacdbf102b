using System.Net;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Cluster.Tests;

/// <summary>
/// The silo executable listens where its environment says, in ASP.NET Core's usual forms and precedence: no
/// settings file of the project pins an address (docs/operations.md, "Hosting and Orleans").
/// </summary>
public sealed class ListenAddressTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Theory]
    [InlineData("ASPNETCORE_URLS", "http://127.0.0.1:{0}")]
    [InlineData("URLS", "http://127.0.0.1:{0}")]
    [InlineData("ASPNETCORE_HTTP_PORTS", "{0}")]
    [InlineData("HTTP_PORTS", "{0}")]
    // The container image's form (Dockerfile, docker-compose.yml), on a free port instead of 8080.
    [InlineData("ASPNETCORE_URLS", "http://+:{0}")]
    public async Task The_environment_alone_says_where_HTTP_listens(string variable, string value)
    {
        await using var silo = await HostProcess.StartSiloListeningAsync(
            port => new Dictionary<string, string> { [variable] = string.Format(System.Globalization.CultureInfo.InvariantCulture, value, port) },
            _data.Path,
            TestContext.Current.CancellationToken);

        using var client = silo.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Urls_outrank_ports_alone()
    {
        // ASPNETCORE_HTTP_PORTS names a port nothing listens on: the host must follow the urls, as ASP.NET Core does.
        var ignored = FreePorts.Next();
        await using var silo = await HostProcess.StartSiloListeningAsync(
            port => new Dictionary<string, string>
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                ["ASPNETCORE_HTTP_PORTS"] = ignored.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            _data.Path,
            TestContext.Current.CancellationToken);

        using var client = silo.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz", TestContext.Current.CancellationToken)).StatusCode);
        using var other = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Assert.ThrowsAsync<HttpRequestException>(() => other.GetAsync($"http://127.0.0.1:{ignored}/healthz", TestContext.Current.CancellationToken));
    }
}
