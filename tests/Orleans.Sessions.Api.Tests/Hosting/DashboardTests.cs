using System.Net;
using System.Net.Http.Headers;

namespace Orleans.Sessions.Api.Tests.Hosting;

/// <summary>
/// The Orleans dashboard (docs/operations.md, "Dashboard"): nobody without an operator's key — <c>sessions:admin</c> on
/// every tenant — sees it; an operator signs in once, the key rides in a cookie only the dashboard receives, and the
/// dashboard shows the service's grain types.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class DashboardTests : IDisposable
{
    private readonly SessionsApiFactory _factory;

    /// <summary>A browser: no credential but what it is given, no cookie jar (the cookie is Secure, the test host plain HTTP), redirects shown.</summary>
    private readonly HttpClient _browser;

    public DashboardTests(SessionsApiFactory factory)
    {
        _factory = factory;
        _browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = factory.CreateClient().BaseAddress,
        };
    }

    public void Dispose() => _browser.Dispose();

    [Fact]
    public async Task Anonymous_callers_are_sent_to_the_login_page_or_refused()
    {
        foreach (var page in new[] { "/dashboard", "/dashboard/", "/dashboard/index.html" })
        {
            using var response = await _browser.GetAsync(page, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/dashboard/login", response.Headers.Location?.OriginalString);
        }

        foreach (var data in new[] { "/dashboard/DashboardCounters", "/dashboard/ClusterStats", "/dashboard/index.min.js" })
        {
            using var response = await _browser.GetAsync(data, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var login = await _browser.GetAsync("/dashboard/login", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("default-src 'none'", login.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain("<script", await login.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Keys_without_admin_on_every_tenant_are_refused_and_get_no_cookie()
    {
        foreach (var key in new[] { TestKeys.Read.Secret, TestKeys.AllTenants.Secret, TestKeys.TenantAdmin.Secret })
        {
            using var signIn = await SignInAsync(key);
            Assert.Equal(HttpStatusCode.Forbidden, signIn.StatusCode);
            Assert.False(signIn.Headers.Contains("Set-Cookie"));

            using var bearer = new HttpRequestMessage(HttpMethod.Get, "/dashboard/DashboardCounters") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", key) } };
            using var refused = await _browser.SendAsync(bearer, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using var wrong = await SignInAsync("not-a-key-of-this-service");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        // A cookie with a secret that is no key is no way in either.
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/dashboard/DashboardCounters") { Headers = { { "Cookie", "sessions_dashboard=" + TestKeys.Read.Secret } } };
        Assert.Equal(HttpStatusCode.Forbidden, (await _browser.SendAsync(forged, TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task An_operator_signs_in_once_and_sees_the_grain_types()
    {
        await new ApiClient(_factory.CreateClient()).SignOnAsync(); // A user grain is active.

        using var signIn = await SignInAsync(TestKeys.Admin.Secret);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/dashboard/", signIn.Headers.Location?.OriginalString);
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"));
        foreach (var attribute in new[] { "path=/dashboard", "secure", "httponly", "samesite=strict" })
        {
            Assert.Contains(attribute, cookie, StringComparison.OrdinalIgnoreCase);
        }

        var pair = cookie.Split(';')[0];
        using (var page = await GetWithCookieAsync("/dashboard/", pair))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        }

        string counters = "";
        await WaitForAsync("the dashboard's counters to list the user sessions grain", async () =>
        {
            using var response = await GetWithCookieAsync("/dashboard/DashboardCounters", pair);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            counters = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            return counters.Contains("UserSessionsGrain", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(20));
        Assert.Contains("DirectoryShardGrain", counters, StringComparison.Ordinal);

        // What the dashboard cannot parse is the operator's mistake, not the service's failure.
        foreach (var address in new[] { "not-a-silo", "%20" })
        {
            using var unreadable = await GetWithCookieAsync($"/dashboard/SiloProperties/{address}", pair);
            Assert.Equal(HttpStatusCode.BadRequest, unreadable.StatusCode);
        }

        using var logout = new HttpRequestMessage(HttpMethod.Post, "/dashboard/logout") { Headers = { { "Cookie", pair } } };
        using var loggedOut = await _browser.SendAsync(logout, TestContext.Current.CancellationToken);
        Assert.Contains(loggedOut.Headers.GetValues("Set-Cookie"), c => c.StartsWith("sessions_dashboard=;", StringComparison.Ordinal));
    }

    private async Task<HttpResponseMessage> SignInAsync(string key)
    {
        using var form = new FormUrlEncodedContent([new("key", key)]);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/dashboard/login") { Content = form };
        return await _browser.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private async Task<HttpResponseMessage> GetWithCookieAsync(string path, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { { "Cookie", cookie } } };
        return await _browser.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
