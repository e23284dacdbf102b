using System.Net;
using System.Text.RegularExpressions;

namespace Orleans.Sessions.Cluster.Tests;

/// <summary>
/// The console behind a load balancer without affinity (docs/console.md, "Security"): on two silo processes sharing
/// PostgreSQL, a form issued by one silo is accepted by the other (one Data Protection key ring, in grain storage), and an
/// administrator's sign-in made through one silo holds on the other and ends on both at sign-out (one sign-in grain).
/// </summary>
public sealed partial class ClusterConsoleTests : HostsOnDatabaseTest
{
    [Fact]
    public async Task A_form_from_one_silo_is_taken_by_the_other_and_a_sign_in_holds_on_both_until_it_ends()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:Postgres"] = Database.ConnectionString,
            ["Orleans:ClusterId"] = "console-" + Guid.NewGuid().ToString("N")[..8],
            ["Orleans:AdvertisedIPAddress"] = "127.0.0.1",
            ["Sessions:Postgres:MaxPoolSize"] = "8",
        };
        // Each silo with a home of its own, as on two machines: Data Protection's default key folder is under it.
        var homes = Enumerable.Range(0, 2).Select(_ => Directory.CreateTempSubdirectory("sessions-console-home-").FullName).ToArray();
        try
        {
            foreach (var home in homes)
            {
                await StartAsync(HostProcess.StartSiloAsync(settings, "Cluster", ct, new Dictionary<string, string> { ["HOME"] = home }));
            }

            await SignInOnOneSiloAndUseTheOtherAsync(ct);
        }
        finally
        {
            foreach (var host in Hosts)
            {
                await host.DisposeAsync();
            }

            Hosts.Clear();
            foreach (var home in homes)
            {
                Directory.Delete(home, recursive: true);
            }
        }
    }

    private async Task SignInOnOneSiloAndUseTheOtherAsync(CancellationToken ct)
    {

        // Plain HTTP on loopback: the cookies are Secure, so they are carried by hand, as a browser on localhost would.
        var (first, second) = (Browser(Hosts[0]), Browser(Hosts[1]));

        // The sign-in form comes from the first silo and is posted to the second.
        var (token, csrfCookie) = await FormAsync(first, "/console/admin/sign-in", cookie: null, ct);
        using var signIn = new HttpRequestMessage(HttpMethod.Post, "/console/admin/sign-in")
        {
            Content = new FormUrlEncodedContent([new("csrf", token), new("key", HostProcess.BootstrapKey)]),
        };
        signIn.Headers.Add("Cookie", csrfCookie);
        using var signedIn = await second.SendAsync(signIn, ct);
        Assert.True(signedIn.StatusCode == HttpStatusCode.SeeOther, $"sign-in posted to the other silo: {(int)signedIn.StatusCode}");
        var handle = CookieOf(signedIn, "__Host-sessions-admin");
        var cookies = $"{csrfCookie}; {handle}";

        // The sign-in holds on the first silo too.
        using (var page = await GetAsync(first, "/console/admin/tenants/console/sessions", cookies, ct))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        // Signing out through the first silo with the second silo's form ends it on both.
        var (signOutToken, _) = await FormAsync(second, "/console/admin/tenants/console/sessions", cookies, ct);
        using var signOut = new HttpRequestMessage(HttpMethod.Post, "/console/admin/sign-out") { Content = new FormUrlEncodedContent([new("csrf", signOutToken)]) };
        signOut.Headers.Add("Cookie", cookies);
        using (var signedOut = await first.SendAsync(signOut, ct))
        {
            Assert.Equal((HttpStatusCode.SeeOther, "/console/admin/sign-in?signedOut=1"), (signedOut.StatusCode, signedOut.Headers.Location?.ToString()));
        }

        foreach (var silo in new[] { first, second })
        {
            using var ended = await GetAsync(silo, "/console/admin/tenants/console/sessions", cookies, ct);
            Assert.Equal((HttpStatusCode.SeeOther, "/console/admin/sign-in?ended=1"), (ended.StatusCode, ended.Headers.Location?.ToString()));
        }
    }

    private static HttpClient Browser(HostProcess host) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string cookies, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookies);
        return await client.SendAsync(request, ct);
    }

    /// <summary>A page's anti-forgery token, and the anti-forgery cookie it set (or the one <paramref name="cookie"/> carried).</summary>
    private static async Task<(string Token, string Cookie)> FormAsync(HttpClient client, string path, string? cookie, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        using var page = await client.SendAsync(request, ct);
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"{path}: {(int)page.StatusCode}");
        var token = CsrfField().Match(await page.Content.ReadAsStringAsync(ct)).Groups[1].Value;
        Assert.NotEmpty(token);
        return (token, cookie ?? CookieOf(page, "sessions-csrf"));
    }

    private static string CookieOf(HttpResponseMessage response, string name) =>
        response.Headers.GetValues("Set-Cookie").First(c => c.StartsWith(name + "=", StringComparison.Ordinal)).Split(';')[0];

    [GeneratedRegex("name=\"csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}
