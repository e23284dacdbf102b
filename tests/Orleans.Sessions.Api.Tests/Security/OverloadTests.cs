using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Api.Tests.Security;

/// <summary>A host that works on one API request at a time and lets none wait (<c>Sessions:Overload</c>).</summary>
public sealed class OneAtATimeApiFactory : SessionsApiFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Sessions:Overload:MaxConcurrentRequests"] = "1",
        ["Sessions:Overload:QueueLimit"] = "0",
    };
}

/// <summary>Overload becomes quick refusals (503 with Retry-After), probes still answer, and the host serves again at once.</summary>
public sealed class OverloadTests(OneAtATimeApiFactory factory) : IClassFixture<OneAtATimeApiFactory>
{
    [Fact]
    public async Task Past_its_bound_a_request_is_refused_at_once_and_probes_still_answer()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = $"/v1/tenants/{TestKeys.Tenant}/users/overload/sessions";
        // A plain client: the factory's follows redirects by buffering each request body first, which would hold this one back.
        using var client = new HttpClient { BaseAddress = factory.CreateClient().BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SessionsApiFactory.BootstrapKey);

        // A sign-on whose body is still on its way holds the host's one turn: its first half is sent, the rest waits.
        var rest = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var held = new HttpRequestMessage(HttpMethod.Post, path) { Content = new HalfNowContent("{\"ip\":\"203.0.113.90\",", "\"userAgent\":\"overload-test\",\"authMethod\":\"password\"}", rest.Task) };
        held.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var holding = client.SendAsync(held, ct);
        // Nothing else is sent until the server runs it: a request arriving first would take the turn and refuse this one.
        await Waiting.WaitForAsync("the held sign-on to run", () => factory.Logs.Lines.Any(l =>
            l.Line.StartsWith("Executing endpoint", StringComparison.Ordinal) && l.Line.Contains("SignOnAsync", StringComparison.Ordinal)), TimeSpan.FromSeconds(30));

        using var refused = await client.GetAsync(path, ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("urn:orleans-sessions:problem:unavailable", await refused.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        foreach (var probe in new[] { "/health/live", "/health/ready", "/metrics" })
        {
            using var answer = await factory.CreateAnonymousClient().GetAsync(probe, ct);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        rest.SetResult();
        using (var signedOn = await holding)
        {
            Assert.True(signedOn.StatusCode == HttpStatusCode.Created, await signedOn.Content.ReadAsStringAsync(ct));
        }

        using var after = await client.GetAsync(path, ct);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    /// <summary>A JSON body sent in two parts: the first (flushed, with the headers) at once, the second when <c>rest</c> completes.</summary>
    private sealed class HalfNowContent(string first, string second, Task rest) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(first));
            await stream.FlushAsync();
            await rest;
            await stream.WriteAsync(Encoding.UTF8.GetBytes(second));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
