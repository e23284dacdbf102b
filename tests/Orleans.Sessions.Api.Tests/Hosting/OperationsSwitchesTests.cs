using System.Net;

namespace Orleans.Sessions.Api.Tests.Hosting;

/// <summary>A host with the dashboard and the Prometheus scrape turned off.</summary>
public sealed class OperationsOffApiFactory : SessionsApiFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Sessions:Dashboard:Enabled"] = "false",
        ["Sessions:Telemetry:Prometheus"] = "false",
    };
}

/// <summary><c>Sessions:Dashboard:Enabled=false</c> and <c>Sessions:Telemetry:Prometheus=false</c> remove what they name, and nothing else.</summary>
public sealed class OperationsSwitchesTests(OperationsOffApiFactory factory) : IClassFixture<OperationsOffApiFactory>
{
    [Theory]
    [InlineData("/metrics")]
    [InlineData("/dashboard/")]
    [InlineData("/dashboard/login")]
    [InlineData("/dashboard/DashboardCounters")]
    public async Task What_is_turned_off_is_not_there(string path)
    {
        using var response = await factory.CreateClient().GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_probes_and_the_API_still_answer()
    {
        using var ready = await factory.CreateAnonymousClient().GetAsync("/health/ready", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        await new ApiClient(factory.CreateClient()).SignOnAsync();
    }
}
