namespace Orleans.Sessions.Api.Tests.Console;

/// <summary>An application may embed "where you're signed in": the origins <c>Sessions:Console:FrameAncestors</c> names, and only those.</summary>
public sealed class ConsoleFramingTests(ConsoleFramingTests.EmbeddingApiFactory factory) : IClassFixture<ConsoleFramingTests.EmbeddingApiFactory>
{
    public sealed class EmbeddingApiFactory : SessionsApiFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Sessions:Console:FrameAncestors:0"] = "https://app.example.com",
            ["Sessions:Console:FrameAncestors:1"] = "https://portal.example.com",
        };
    }

    [Fact]
    public async Task The_end_user_page_may_be_framed_by_the_named_origins_and_nothing_else_by_anyone()
    {
        using var http = factory.CreateAnonymousClient();

        using var me = await http.GetAsync("/console/me", TestContext.Current.CancellationToken);
        Assert.EndsWith("frame-ancestors https://app.example.com https://portal.example.com", Assert.Single(me.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.False(me.Headers.Contains("X-Frame-Options")); // it can name no origin: the policy decides alone

        using var other = await http.GetAsync("/console/assets/none.css", TestContext.Current.CancellationToken);
        Assert.EndsWith("frame-ancestors 'none'", Assert.Single(other.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Equal("DENY", Assert.Single(other.Headers.GetValues("X-Frame-Options")));
    }
}
