using System.Net;
using Microsoft.Playwright;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Api.Tests.Console;

/// <summary>
/// Every console page at desktop and phone width, light and dark: no policy violation, no console error, nothing
/// serious for axe in any of the four — and a screenshot of each, kept in <c>artifacts/console-screenshots/</c>
/// (<c>CONSOLE_SCREENSHOTS</c> elsewhere; docs/console.md shows them).
/// </summary>
public sealed class ConsoleScreenshotTests(OwnClockApiFactory factory, Browser browser) : IClassFixture<OwnClockApiFactory>, IClassFixture<Browser>
{
    private static readonly (string Name, int Width, ColorScheme Scheme)[] Variants =
    [
        ("desktop-light", 1280, ColorScheme.Light),
        ("desktop-dark", 1280, ColorScheme.Dark),
        ("phone-light", 360, ColorScheme.Light),
        ("phone-dark", 360, ColorScheme.Dark),
    ];

    private static string Directory => Environment.GetEnvironmentVariable("CONSOLE_SCREENSHOTS") is { Length: > 0 } configured
        ? configured
        : Path.Combine(TestData.RepositoryRoot, "artifacts", "console-screenshots");

    [Fact]
    public async Task Every_end_user_page_is_clean_and_photographed_at_two_widths_in_light_and_dark()
    {
        var api = new ApiClient(factory.CreateClient());
        var (laptop, token) = await ConsoleMeTests.SignOnAsync(api, "81.2.69.142", ConsoleMeTests.Windows, idleTimeout: 7_200);
        factory.Clock.Advance(TimeSpan.FromMinutes(42));
        await api.PostAsync($"{api.Sessions}/{laptop}/activity", new { ip = "2.125.160.216" });
        factory.Clock.Advance(TimeSpan.FromMinutes(3));
        var (phone, _) = await ConsoleMeTests.SignOnAsync(api, "175.16.199.0", ConsoleMeTests.IPhone, idleTimeout: 7_200);
        factory.Clock.Advance(TimeSpan.FromMinutes(5));

        (string Name, string Path, int Status, bool SignedIn)[] pages =
        [
            ("my-sessions", "/console/me", 200, true),
            ("sign-out-one", $"/console/me/sessions/{phone}/sign-out", 200, true),
            ("sign-out-others", "/console/me/sign-out-others", 200, true),
            ("link-ended", "/console/me?token=sst_bm90LmEudG9rZW4.AAAA", 401, false),
            ("sign-in-ended", "/console/me", 401, false),
        ];
        await PhotographAsync(pages.Select(p => (p.Name, p.Path, p.Status)), async (visit, name) =>
        {
            if (pages.First(p => p.Name == name).SignedIn)
            {
                await visit.Page.GotoAsync($"http://localhost:{factory.Port}/console/me?token={token}"); // the link: its cookie
            }
        });
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"{api.Sessions}/{phone}")).Status);
    }

    [Fact]
    public async Task Every_administration_page_is_clean_and_photographed_at_two_widths_in_light_and_dark()
    {
        var http = factory.CreateClient();
        var tenant = "console-shots";
        var (user, session) = await ConsoleAdminTests.SignOnAsync(http, tenant, "81.2.69.142", ConsoleMeTests.Windows, idleTimeout: 86_400);
        var api = new ApiClient(http, tenant);
        factory.Clock.Advance(TimeSpan.FromMinutes(20));
        await ConsoleAdminTests.SignOnAsync(http, tenant, "175.16.199.0", ConsoleMeTests.IPhone, idleTimeout: 86_400);
        for (var i = 0; i < 4; i++)
        {
            await ConsoleAdminTests.SignOnAsync(http, tenant, i % 2 == 0 ? "89.160.20.112" : "216.160.83.56", ConsoleMeTests.IPhone, idleTimeout: 86_400);
            factory.Clock.Advance(TimeSpan.FromMinutes(7));
        }

        var second = await api.PostAsync($"/v1/tenants/{tenant}/users/{user}/sessions", new { ip = "2.125.160.216", userAgent = ConsoleMeTests.IPhone, authMethod = "passkey" });
        await api.PostAsync($"/v1/tenants/{tenant}/users/{user}/sessions/{second.Body.GetProperty("session").Str("id")}/revoke", new { reason = "phone replaced" });

        var job = await RevokeByQueryAsync(api, tenant, "ip=89.160.20.112", "office network compromised");
        var (_, hook) = await api.PostAsync($"/v1/tenants/{tenant}/webhooks", new { url = "https://203.0.113.1/hooks", eventTypes = new[] { "session.revoked" }, description = "SIEM", enabled = false });
        await api.PostAsync($"/v1/tenants/{tenant}/clients", new { clientId = "crm", backchannelLogoutUri = "https://203.0.113.1/logout", description = "CRM" });
        await api.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/v1/tenants/{tenant}/policy")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { maxSessionsPerUser = 20, activeSessionLimit = new { max = 5, onLimit = "endOldest" } }),
        });
        var admin = $"/console/admin/tenants/{tenant}";
        (string Name, string Path, int Status, TestKey? Key)[] pages =
        [
            ("admin-sign-in", "/console/admin/sign-in", 200, null),
            ("admin-tenants", "/console/admin/tenants", 200, TestKeys.ConsoleOperator),
            ("admin-sessions", $"{admin}/sessions", 200, TestKeys.ConsoleOperator),
            ("admin-sessions-refused", $"{admin}/sessions?country=Germany&minRiskScore=101", 400, TestKeys.ConsoleOperator),
            ("admin-user", $"{admin}/users/{user}", 200, TestKeys.ConsoleOperator),
            ("admin-revoke", $"{admin}/users/{user}/sessions/{session}/revoke", 200, TestKeys.ConsoleOperator),
            ("admin-counts", $"{admin}/counts", 200, TestKeys.ConsoleOperator),
            ("admin-revoke-by-query", $"{admin}/revoke?deviceType=mobile", 200, TestKeys.ConsoleOperator),
            ("admin-job", $"{admin}/jobs/{job}", 200, TestKeys.ConsoleOperator),
            ("admin-audit", $"{admin}/audit", 200, TestKeys.ConsoleOperator),
            ("admin-receivers", $"{admin}/receivers", 200, TestKeys.ConsoleOperator),
            ("admin-webhook", $"{admin}/receivers/webhooks/{hook.Str("id")}", 200, TestKeys.ConsoleOperator),
            ("admin-policy", $"{admin}/policy", 200, TestKeys.ConsoleOperator),
            ("admin-reader-forbidden", $"{admin}/users/{user}/sessions/{session}/revoke", 403, TestKeys.ConsoleReader),
        ];
        await PhotographAsync(pages.Select(p => (p.Name, p.Path, p.Status)), async (visit, name) =>
        {
            if (pages.First(p => p.Name == name).Key is { } key)
            {
                await ConsoleAdminTests.SignInAsync(visit, $"http://localhost:{factory.Port}", key);
            }
        });
        Assert.Equal("active", (await api.GetAsync($"/v1/tenants/{tenant}/users/{user}/sessions/{session}")).Body.Str("status"));
    }

    /// <summary>Revokes by query through the API (a dry run, then the run it confirms) and waits for the job: its id.</summary>
    private static async Task<string> RevokeByQueryAsync(ApiClient api, string tenant, string query, string reason)
    {
        var path = $"/v1/tenants/{tenant}/sessions/revoke?{query}";
        var (_, dryRun) = await api.PostAsync(path, new { reason, dryRun = true });
        var (status, job) = await api.PostAsync(path, new { reason, confirmation = dryRun.Str("confirmation") });
        Assert.Equal(HttpStatusCode.Accepted, status);
        var id = job.Str("id");
        await Waiting.WaitForAsync($"job {id} to complete", async () =>
            (await api.GetAsync($"/v1/tenants/{tenant}/jobs/{id}")).Body.Str("status") == "completed", TimeSpan.FromSeconds(30));
        return id;
    }

    /// <summary>
    /// Each page in each variant, in a browser context of its own that <paramref name="prepare"/> readies (signs in):
    /// loaded afresh at each width and scheme, its status, clean, and its screenshot written.
    /// </summary>
    private async Task PhotographAsync(IEnumerable<(string Name, string Path, int Status)> pages, Func<Visit, string, Task> prepare)
    {
        System.IO.Directory.CreateDirectory(Directory);
        foreach (var (name, path, status) in pages)
        {
            // One browser context per page (signed in once), its width and scheme changed for each variant.
            await using var visit = await browser.OpenAsync();
            await prepare(visit, name);
            foreach (var (variant, width, scheme) in Variants)
            {
                await visit.Page.SetViewportSizeAsync(width, width < 600 ? 780 : 900);
                await visit.Page.EmulateMediaAsync(new() { ColorScheme = scheme });
                var response = await visit.Page.GotoAsync($"http://localhost:{factory.Port}{path}");
                Assert.Equal(status, response!.Status);
                await visit.AssertCleanAsync($"{name} {variant}", status == 200 ? null : status);
                var file = Path.Combine(Directory, $"{name}-{variant}.png");
                File.Delete(file);
                await visit.Page.ScreenshotAsync(new() { Path = file, FullPage = true });
                Assert.True(new FileInfo(file).Length > 0, file);
            }
        }
    }
}
