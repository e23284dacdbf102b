using System.Net;
using System.Text;
using Microsoft.Playwright;
using Orleans.Sessions.Testing;
using Orleans.Sessions.Api.Tests.Security;

namespace Orleans.Sessions.Api.Tests.Console;

/// <summary>
/// The administration pages (docs/console.md, "Administration") in a real browser: signing in with a key (and its
/// code), the tenant picker, list-all's filters and keyset pages, a user's sessions, revoking one with a reason —
/// checked through the API and its audit history — the role checks, the anti-forgery refusals, the cookie and the
/// idle timeout.
/// </summary>
public sealed class ConsoleAdminTests(OwnClockApiFactory factory, Browser browser) : IClassFixture<OwnClockApiFactory>, IClassFixture<Browser>
{
    /// <summary>The host's address; asking for it starts the host, which a browser cannot do.</summary>
    private string Base => factory.Services is not null ? $"http://localhost:{factory.Port}" : "";

    [Fact]
    public async Task The_operator_signs_in_picks_the_tenant_searches_with_filters_pages_and_revokes_one_with_a_reason()
    {
        var tenant = "console-" + Guid.NewGuid().ToString("N")[..8];
        var http = factory.CreateClient();
        var londoners = new List<(string User, string Session)>();
        for (var i = 0; i < 12; i++)
        {
            londoners.Add(await SignOnAsync(http, tenant, "81.2.69.142", ConsoleMeTests.Windows));
            factory.Clock.Advance(TimeSpan.FromSeconds(10));
        }

        var phones = new[] { await SignOnAsync(http, tenant, "175.16.199.0", ConsoleMeTests.IPhone), await SignOnAsync(http, tenant, "175.16.199.0", ConsoleMeTests.IPhone) };

        await using var visit = await browser.OpenAsync();
        await SignInAsync(visit, TestKeys.ConsoleOperator);
        Assert.Equal($"{Base}/console/admin/tenants", visit.Page.Url);
        await visit.AssertCleanAsync("the tenant picker");
        await visit.Page.GetByLabel("Another tenant").FillAsync(tenant);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
        await visit.Page.WaitForURLAsync(url => url == $"{Base}/console/admin/tenants/{tenant}/sessions");
        Assert.Equal("14 active sessions match", await visit.Page.Locator("#results").InnerTextAsync());
        await visit.AssertCleanAsync("every session");

        await visit.Page.GetByLabel("Device type").SelectOptionAsync("mobile");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await visit.Page.WaitForURLAsync(url => url.Contains("deviceType=mobile", StringComparison.Ordinal));
        Assert.Equal("2 active sessions match", await visit.Page.Locator("#results").InnerTextAsync());
        Assert.Equal(phones.Select(p => p.Session).Order(StringComparer.Ordinal), (await RowsAsync(visit)).Order(StringComparer.Ordinal));
        Assert.Contains("Changchun, CN", await visit.Page.Locator("tbody").InnerTextAsync(), StringComparison.Ordinal);

        // The Londoners, oldest sign-in first, ten a page: the next page holds the last two, then no next page.
        await visit.Page.GetByLabel("Device type").SelectOptionAsync("");
        await visit.Page.GetByLabel("Country code").FillAsync("gb");
        await visit.Page.GetByLabel("Order").SelectOptionAsync("loginAt");
        await visit.Page.GetByLabel("Per page").SelectOptionAsync("10");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await visit.Page.WaitForURLAsync(url => url.Contains("country=gb", StringComparison.Ordinal));
        Assert.Equal("12 active sessions match", await visit.Page.Locator("#results").InnerTextAsync());
        Assert.Equal(londoners.Take(10).Select(l => l.Session), await RowsAsync(visit));
        await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Next page" }).ClickAsync();
        await visit.Page.WaitForURLAsync(url => url.Contains("cursor=", StringComparison.Ordinal));
        Assert.Equal(londoners.Skip(10).Select(l => l.Session), await RowsAsync(visit));
        Assert.Equal(0, await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Next page" }).CountAsync());
        Assert.Equal("gb", await visit.Page.GetByLabel("Country code").InputValueAsync());
        await visit.AssertCleanAsync("the second page");

        // Open the last Londoner, revoke the session: a reason of blanks is refused, a real one is kept.
        var (user, session) = londoners[^1];
        await visit.Page.Locator($"tr[data-session='{session}']").GetByRole(AriaRole.Link, new() { Name = user, Exact = true }).ClickAsync();
        await visit.Page.WaitForURLAsync(url => url == $"{Base}/console/admin/tenants/{tenant}/users/{user}");
        Assert.Contains("London, United Kingdom", await visit.Page.Locator($"li.card[data-session='{session}']").InnerTextAsync(), StringComparison.Ordinal);
        await visit.AssertCleanAsync("a user's sessions");
        await visit.Page.Locator($"li.card[data-session='{session}']").GetByRole(AriaRole.Link, new() { Name = "Revoke" }).ClickAsync();
        await visit.Page.GetByLabel("Reason").FillAsync("   ");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await visit.Page.Locator("#reason-error").WaitForAsync();
        await visit.AssertCleanAsync("a revoke without a reason", documentStatus: 400);
        Assert.Equal("active", await StatusAsync(http, tenant, user, session));

        await visit.Page.GetByLabel("Reason").FillAsync("laptop reported stolen");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await visit.Page.WaitForURLAsync(url => url == $"{Base}/console/admin/tenants/{tenant}/users/{user}?ended={session}");
        Assert.Equal("The session is revoked.", await visit.Page.GetByRole(AriaRole.Status).InnerTextAsync());
        Assert.Contains("revoked", await visit.Page.Locator($"li.card[data-session='{session}']").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await visit.Page.Locator($"li.card[data-session='{session}']").GetByRole(AriaRole.Link, new() { Name = "Revoke" }).CountAsync());

        using var read = await http.GetAsync($"/v1/tenants/{tenant}/users/{user}/sessions/{session}", TestContext.Current.CancellationToken);
        var record = JsonDocument(await read.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(("revoked", "k-console", "laptop reported stolen"), (record.Str("status"), record.GetProperty("end").Str("by"), record.GetProperty("end").Str("reason")));
        var audit = await AuditReader.ReadAllAsync(http, tenant, "kind=revoke");
        var entry = Assert.Single(audit);
        Assert.Equal(("k-console", user, session, "laptop reported stolen"), (entry.Str("actor"), entry.Str("userId"), entry.Str("sessionId"), entry.Str("reason")));

        // Pages with forms say they are not to be cached before anti-forgery would: it has nothing to override or warn of.
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Category.StartsWith("Microsoft.AspNetCore.Antiforgery", StringComparison.Ordinal)
            && l.Line.Contains("have been overridden", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Counts_are_charts_of_the_sessions_the_filters_match()
    {
        var tenant = "console-" + Guid.NewGuid().ToString("N")[..8];
        var http = factory.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            await SignOnAsync(http, tenant, "81.2.69.142", ConsoleMeTests.Windows);
        }

        for (var i = 0; i < 2; i++)
        {
            await SignOnAsync(http, tenant, "175.16.199.0", ConsoleMeTests.IPhone, authMethod: "passkey");
        }

        await using var visit = await browser.OpenAsync();
        await SignInAsync(visit, TestKeys.ConsoleOperator);
        await visit.Page.GotoAsync($"{Base}/console/admin/tenants/{tenant}/counts");
        Assert.Equal("5 active sessions", await visit.Page.Locator("#results").InnerTextAsync());
        Assert.Equal(new Dictionary<string, int> { ["GB"] = 3, ["CN"] = 2 }, await BarsAsync(visit, "by-country"));
        Assert.Equal(new Dictionary<string, int> { ["desktop"] = 3, ["mobile"] = 2 }, await BarsAsync(visit, "by-device"));
        Assert.Equal(new Dictionary<string, int> { ["password"] = 3, ["passkey"] = 2 }, await BarsAsync(visit, "by-method"));
        Assert.Empty(await BarsAsync(visit, "by-risk"));
        Assert.Equal("GB: 3, CN: 2.", await visit.Page.Locator("svg[data-chart='by-country'] desc").TextContentAsync());
        await visit.AssertCleanAsync("the counts");

        await visit.Page.GetByRole(AriaRole.Textbox, new() { Name = "Sign-on method" }).FillAsync("passkey");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Count" }).ClickAsync();
        await visit.Page.WaitForURLAsync(url => url.Contains("authMethod=passkey", StringComparison.Ordinal));
        Assert.Equal("2 active sessions", await visit.Page.Locator("#results").InnerTextAsync());
        Assert.Equal(new Dictionary<string, int> { ["CN"] = 2 }, await BarsAsync(visit, "by-country"));
        await visit.Page.GetByRole(AriaRole.Link, new() { Name = "List them" }).ClickAsync();
        await visit.Page.WaitForURLAsync(url => url.Contains("/sessions?authMethod=passkey", StringComparison.Ordinal));
        Assert.Equal(2, (await RowsAsync(visit)).Length);
    }

    [Fact]
    public async Task Revoke_by_query_counts_first_runs_only_with_the_count_typed_back_and_shows_the_job_and_its_audit()
    {
        var tenant = "console-" + Guid.NewGuid().ToString("N")[..8];
        var http = factory.CreateClient();
        var phones = new List<(string User, string Session)>();
        for (var i = 0; i < 3; i++)
        {
            phones.Add(await SignOnAsync(http, tenant, "175.16.199.0", ConsoleMeTests.IPhone));
        }

        var desktop = await SignOnAsync(http, tenant, "81.2.69.142", ConsoleMeTests.Windows);
        factory.Clock.Advance(TimeSpan.FromSeconds(1)); // A job ends the sessions created before it starts.

        await using var visit = await browser.OpenAsync();
        await SignInAsync(visit, TestKeys.ConsoleOperator);
        await visit.Page.GotoAsync($"{Base}/console/admin/tenants/{tenant}/sessions?deviceType=mobile");
        await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Revoke these…" }).ClickAsync();
        await visit.Page.WaitForURLAsync(url => url == $"{Base}/console/admin/tenants/{tenant}/revoke?deviceType=mobile");
        Assert.Equal("3 active sessions match", await visit.Page.Locator("#matched").InnerTextAsync());
        Assert.Equal(phones.Select(p => p.Session).Order(StringComparer.Ordinal), (await RowsAsync(visit)).Order(StringComparer.Ordinal));
        await visit.AssertCleanAsync("the dry run");

        // The wrong count is refused, and the page asks again.
        await visit.Page.GetByLabel("Reason").FillAsync("lost phones");
        await visit.Page.GetByLabel("Type 3 to confirm").FillAsync("2");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Revoke 3 sessions" }).ClickAsync();
        await visit.Page.Locator("#run-error").WaitForAsync();
        Assert.Equal("Type the number of sessions, 3, to confirm.", await visit.Page.Locator("#run-error").InnerTextAsync());
        await visit.AssertCleanAsync("a run with the wrong count", documentStatus: 400);
        Assert.Equal("active", await StatusAsync(http, tenant, phones[0].User, phones[0].Session));

        // A confirmation of these filters does not run other filters: 409, nothing ended.
        var confirmation = await visit.Page.Locator("input[name=confirmation]").GetAttributeAsync("value");
        var token = await visit.Page.Locator("form.who input[name=csrf]").GetAttributeAsync("value");
        var other = await visit.Page.APIRequest.PostAsync($"{Base}/console/admin/tenants/{tenant}/revoke", new()
        {
            Form = Form(visit.Page.APIRequest, ("csrf", token!), ("confirmation", confirmation!), ("deviceType", "desktop"), ("reason", "wrong"), ("count", "3")),
            MaxRedirects = 0,
        });
        Assert.Equal(409, other.Status);
        Assert.Equal("active", await StatusAsync(http, tenant, desktop.User, desktop.Session));

        await visit.Page.GetByLabel("Reason").FillAsync("lost phones");
        await visit.Page.GetByLabel("Type 3 to confirm").FillAsync("3");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Revoke 3 sessions" }).ClickAsync();
        await visit.Page.WaitForURLAsync(url => url.Contains($"/console/admin/tenants/{tenant}/jobs/job_", StringComparison.Ordinal));
        var jobId = visit.Page.Url[(visit.Page.Url.LastIndexOf('/') + 1)..];
        await Waiting.WaitForAsync($"job {jobId} to complete", async () =>
        {
            await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Refresh" }).ClickAsync();
            return await visit.Page.Locator("h1").InnerTextAsync() == "Revoke by query: completed";
        }, TimeSpan.FromSeconds(30));
        Assert.Equal("3", await visit.Page.Locator("dd[data-count=ended]").InnerTextAsync());
        await visit.AssertCleanAsync("the finished job");
        foreach (var (user, session) in phones)
        {
            Assert.Equal("revoked", await StatusAsync(http, tenant, user, session));
        }

        Assert.Equal("active", await StatusAsync(http, tenant, desktop.User, desktop.Session));

        // The audit history, in the console: the job's start (an administrative change) and its three endings.
        await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Its endings in the audit history" }).ClickAsync();
        await visit.Page.WaitForURLAsync(url => url.EndsWith("/audit?kind=revoke-by-query", StringComparison.Ordinal));
        var endings = visit.Page.Locator("tbody tr[data-kind='revoke-by-query']");
        Assert.Equal(3, await endings.CountAsync());
        Assert.All(await endings.AllInnerTextsAsync(), row => Assert.Contains("lost phones", row, StringComparison.Ordinal));
        await visit.AssertCleanAsync("the audit history");
        await visit.Page.GetByLabel("Kind").SelectOptionAsync("admin");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await visit.Page.WaitForURLAsync(url => url.Contains("kind=admin", StringComparison.Ordinal));
        var start = Assert.Single(await visit.Page.Locator("tbody tr[data-kind='admin']").AllInnerTextsAsync());
        Assert.Contains("k-console", start, StringComparison.Ordinal);
        Assert.Contains($"RevokeSessionsByQuery jobs/{jobId}", start, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_administration_works_from_the_keyboard_alone_with_a_visible_focus()
    {
        var tenant = "console-" + Guid.NewGuid().ToString("N")[..8];
        var http = factory.CreateClient();
        await SignOnAsync(http, tenant, "81.2.69.142", ConsoleMeTests.Windows);
        var (_, phone) = await SignOnAsync(http, tenant, "175.16.199.0", ConsoleMeTests.IPhone);

        await using var visit = await browser.OpenAsync();
        await visit.Page.GotoAsync($"{Base}/console/admin/sign-in");
        await visit.Page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await visit.Page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        await TabToAsync(visit, "the key field", "e => e.id === 'key'");
        await visit.Page.Keyboard.TypeAsync(TestKeys.ConsoleOperator.Secret);
        await visit.Page.Keyboard.PressAsync("Enter");
        await visit.Page.WaitForURLAsync(url => url == $"{Base}/console/admin/tenants");

        await TabToAsync(visit, "the tenant field", "e => e.id === 'tenant'");
        await visit.Page.Keyboard.TypeAsync(tenant);
        await visit.Page.Keyboard.PressAsync("Enter");
        await visit.Page.WaitForURLAsync(url => url == $"{Base}/console/admin/tenants/{tenant}/sessions");

        await TabToAsync(visit, "the device type", "e => e.id === 'deviceType'");
        await visit.Page.Keyboard.PressAsync("ArrowDown"); // desktop
        await visit.Page.Keyboard.PressAsync("ArrowDown"); // mobile
        Assert.Equal("mobile", await visit.Page.EvaluateAsync<string>("() => document.activeElement.value"));
        await TabToAsync(visit, "the search button", "e => e.tagName === 'BUTTON' && e.textContent.trim() === 'Search'");
        await visit.Page.Keyboard.PressAsync("Enter");
        await visit.Page.WaitForURLAsync(url => url.Contains("deviceType=mobile", StringComparison.Ordinal));
        Assert.Equal([phone], await RowsAsync(visit));
        await TabToAsync(visit, "the results table", "e => e.getAttribute('role') === 'region'"); // it scrolls at 360 px: it takes focus
    }

    [Fact]
    public async Task A_key_with_a_second_factor_signs_in_with_a_current_code_once()
    {
        await using var visit = await browser.OpenAsync();
        await SignInAsync(visit, TestKeys.Totp);
        Assert.Equal("That key and code do not sign in here. Check them, and that the key has a role the console uses.", await visit.Page.GetByRole(AriaRole.Alert).InnerTextAsync());
        await visit.AssertCleanAsync("a key without its code", documentStatus: 401);

        var code = Rfc6238.Code(Encoding.ASCII.GetBytes("12345678901234567890"), Rfc6238.StepOf(factory.Clock.GetUtcNow()));
        await SignInAsync(visit, TestKeys.Totp, code);
        Assert.Equal($"{Base}/console/admin/tenants/{TestKeys.Tenant}/sessions", visit.Page.Url);
        Assert.Equal(0, await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Tenants" }).CountAsync()); // one tenant: no picker

        await using var replay = await browser.OpenAsync();
        await SignInAsync(replay, TestKeys.Totp, code);
        Assert.Equal($"{Base}/console/admin/sign-in", replay.Page.Url);
        Assert.Equal(1, await replay.Page.GetByRole(AriaRole.Alert).CountAsync());
    }

    [Fact]
    public async Task A_reader_sees_no_revoke_button_and_a_revoke_posted_with_its_own_token_is_403()
    {
        var tenant = "console-" + Guid.NewGuid().ToString("N")[..8];
        var http = factory.CreateClient();
        var (user, session) = await SignOnAsync(http, tenant, "81.2.69.142", ConsoleMeTests.Windows);
        await using var visit = await browser.OpenAsync();
        await SignInAsync(visit, TestKeys.ConsoleReader);
        await visit.Page.GotoAsync($"{Base}/console/admin/tenants/{tenant}/sessions");
        Assert.Equal([session], await RowsAsync(visit));
        Assert.Equal(0, await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Revoke" }).CountAsync());
        await visit.Page.GotoAsync($"{Base}/console/admin/tenants/{tenant}/users/{user}");
        Assert.Equal(1, await visit.Page.Locator("li.card").CountAsync());
        Assert.Equal(0, await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Revoke" }).CountAsync());

        var token = await visit.Page.Locator("form.who input[name=csrf]").GetAttributeAsync("value");
        var revoke = $"{Base}/console/admin/tenants/{tenant}/users/{user}/sessions/{session}/revoke";
        var page = await visit.Page.GotoAsync(revoke);
        Assert.Equal(403, page!.Status);
        await visit.AssertCleanAsync("the revoke page, for a reader", documentStatus: 403);
        var posted = await visit.Page.APIRequest.PostAsync(revoke, new() { Form = Form(visit.Page.APIRequest, ("csrf", token!), ("reason", "forged")), MaxRedirects = 0 });
        Assert.Equal(403, posted.Status);
        Assert.Equal("active", await StatusAsync(http, tenant, user, session));

        // What it may not open is not offered, and is 403 when asked for.
        await visit.Page.GotoAsync($"{Base}/console/admin/tenants/{tenant}/sessions");
        var navigation = await visit.Page.GetByRole(AriaRole.Navigation, new() { Name = "Administration" }).InnerTextAsync();
        Assert.Equal(["Sessions", "Counts", "Tenants"], navigation.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal(0, await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Revoke these…" }).CountAsync());
        foreach (var path in new[] { "revoke", "audit" })
        {
            var refused = await visit.Page.GotoAsync($"{Base}/console/admin/tenants/{tenant}/{path}");
            Assert.True(refused!.Status == 403, $"{path}: {refused.Status}");
        }

        var run = await visit.Page.APIRequest.PostAsync($"{Base}/console/admin/tenants/{tenant}/revoke", new()
        {
            Form = Form(visit.Page.APIRequest, ("csrf", token!), ("reason", "forged"), ("count", "1")),
            MaxRedirects = 0,
        });
        Assert.Equal(403, run.Status);
        Assert.Equal("active", await StatusAsync(http, tenant, user, session));
    }

    [Fact]
    public async Task The_cookie_holds_only_a_handle_forms_without_the_token_are_refused_and_idleness_or_signing_out_ends_it()
    {
        var tenant = "console-" + Guid.NewGuid().ToString("N")[..8];
        var http = factory.CreateClient();
        var (user, session) = await SignOnAsync(http, tenant, "81.2.69.142", ConsoleMeTests.Windows, idleTimeout: 86_400);
        await using var visit = await browser.OpenAsync();
        await SignInAsync(visit, TestKeys.ConsoleOperator);
        var cookie = Assert.Single(await visit.Context.CookiesAsync(), c => c.Name == "__Host-sessions-admin");
        Assert.Equal((true, true, SameSiteAttribute.Strict, "/"), (cookie.HttpOnly, cookie.Secure, cookie.SameSite, cookie.Path));
        Assert.DoesNotContain(TestKeys.ConsoleOperator.Secret, cookie.Value, StringComparison.Ordinal);
        Assert.Equal(43, cookie.Value.Length); // 32 random bytes, base64url

        // Posts that did not come from the console's pages: no token, or another's.
        var revoke = $"{Base}/console/admin/tenants/{tenant}/users/{user}/sessions/{session}/revoke";
        foreach (var form in new[] { Form(visit.Page.APIRequest, ("reason", "no token")), Form(visit.Page.APIRequest, ("csrf", "forged"), ("reason", "forged token")) })
        {
            var refused = await visit.Page.APIRequest.PostAsync(revoke, new() { Form = form, MaxRedirects = 0 });
            Assert.Equal(403, refused.Status);
        }

        using (var anonymous = factory.CreateAnonymousClient())
        {
            using var signIn = await anonymous.PostAsync("/console/admin/sign-in", new FormUrlEncodedContent([new("key", TestKeys.ConsoleOperator.Secret)]), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Forbidden, signIn.StatusCode);
            Assert.DoesNotContain(signIn.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("__Host-sessions-admin=", StringComparison.Ordinal) && !v.Contains("expires=Thu, 01 Jan 1970", StringComparison.Ordinal)));
        }

        Assert.Equal("active", await StatusAsync(http, tenant, user, session));

        // Fifteen minutes without use end the sign-in.
        factory.Clock.Advance(TimeSpan.FromMinutes(15));
        await visit.Page.GotoAsync($"{Base}/console/admin/tenants/{tenant}/sessions");
        Assert.Equal($"{Base}/console/admin/sign-in?ended=1", visit.Page.Url);
        Assert.Equal("Your sign-in ended. Sign in again to go on.", await visit.Page.GetByRole(AriaRole.Status).InnerTextAsync());

        // Signing out ends the handle on the server: the old cookie opens nothing afterwards.
        await SignInAsync(visit, TestKeys.ConsoleOperator);
        var handle = Assert.Single(await visit.Context.CookiesAsync(), c => c.Name == "__Host-sessions-admin").Value;
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await visit.Page.WaitForURLAsync(url => url == $"{Base}/console/admin/sign-in?signedOut=1");
        Assert.DoesNotContain(await visit.Context.CookiesAsync(), c => c.Name == "__Host-sessions-admin");
        using var stale = new HttpRequestMessage(HttpMethod.Get, $"/console/admin/tenants/{tenant}/sessions");
        stale.Headers.Add("Cookie", $"__Host-sessions-admin={handle}");
        using var anonymousAgain = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(Base) };
        using var answer = await anonymousAgain.SendAsync(stale, TestContext.Current.CancellationToken);
        Assert.Equal((HttpStatusCode.SeeOther, "/console/admin/sign-in?ended=1"), (answer.StatusCode, answer.Headers.Location?.ToString()));
    }

    [Fact]
    public async Task A_filter_list_all_refuses_is_400_with_the_rule_beside_its_field()
    {
        await using var visit = await browser.OpenAsync(width: 360);
        await SignInAsync(visit, TestKeys.ConsoleOperator);
        var page = await visit.Page.GotoAsync($"{Base}/console/admin/tenants/console-bad/sessions?country=Germany&minRiskScore=101&q=%5B%5D");
        Assert.Equal(400, page!.Status);
        Assert.Equal("'country' must be an ISO 3166-1 alpha-2 code.", await visit.Page.Locator("#country-error").InnerTextAsync());
        Assert.Equal("true", await visit.Page.GetByLabel("Country code").GetAttributeAsync("aria-invalid"));
        Assert.Equal(1, await visit.Page.Locator("#minRiskScore-error").CountAsync());
        Assert.Equal(1, await visit.Page.Locator("#q-error").CountAsync());
        Assert.Equal(0, await visit.Page.Locator("#results").CountAsync());
        await visit.AssertCleanAsync("refused filters at 360 px", documentStatus: 400);
    }

    private Task SignInAsync(Visit visit, TestKey key, string? code = null) => SignInAsync(visit, Base, key, code);

    /// <summary>Signs in on <paramref name="origin"/>'s sign-in page with <paramref name="key"/> (and <paramref name="code"/>), and waits for the page that follows.</summary>
    internal static async Task SignInAsync(Visit visit, string origin, TestKey key, string? code = null)
    {
        await visit.Page.GotoAsync($"{origin}/console/admin/sign-in");
        await visit.Page.GetByLabel("API key").FillAsync(key.Secret);
        if (code is not null)
        {
            await visit.Page.GetByLabel("Authenticator code").FillAsync(code);
        }

        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await visit.Page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
    }

    /// <summary>A sign-on of a new user of <paramref name="tenant"/>: the user's and the session's ids.</summary>
    internal static async Task<(string User, string Session)> SignOnAsync(
        HttpClient http, string tenant, string ip, string userAgent, long? idleTimeout = null, string authMethod = "password")
    {
        var api = new ApiClient(http, tenant);
        var (id, _) = await ConsoleMeTests.SignOnAsync(api, ip, userAgent, idleTimeout, authMethod);
        return (api.UserId, id);
    }

    /// <summary>The bars of a chart on the page, label to count, as its SVG carries them.</summary>
    private static async Task<Dictionary<string, int>> BarsAsync(Visit visit, string chart) =>
        (await visit.Page.Locator($"svg[data-chart='{chart}'] g").EvaluateAllAsync<string[][]>("bars => bars.map(b => [b.dataset.label, b.dataset.value])"))
            .ToDictionary(b => b[0], b => int.Parse(b[1], System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);

    /// <summary>
    /// Presses Tab until the focused element is what <paramref name="isTarget"/> (a script over the element) says, at most
    /// 40 times, and checks every element that took focus on the way showed it (an outline).
    /// </summary>
    private static async Task TabToAsync(Visit visit, string target, string isTarget)
    {
        for (var presses = 0; presses < 40; presses++)
        {
            await visit.Page.Keyboard.PressAsync("Tab");
            var (outline, html) = (await visit.Page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle"),
                await visit.Page.EvaluateAsync<string>("() => document.activeElement.outerHTML.slice(0, 120)"));
            Assert.True(outline != "none", $"on the way to {target}: no visible focus on {html}");
            if (await visit.Page.EvaluateAsync<bool>($"() => ({isTarget})(document.activeElement)"))
            {
                return;
            }
        }

        Assert.Fail($"{target}: not reached in 40 presses of Tab");
    }

    private static async Task<string[]> RowsAsync(Visit visit) =>
        await visit.Page.Locator("tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.session)");

    private static async Task<string> StatusAsync(HttpClient http, string tenant, string user, string session)
    {
        using var response = await http.GetAsync($"/v1/tenants/{tenant}/users/{user}/sessions/{session}", TestContext.Current.CancellationToken);
        return JsonDocument(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Str("status");
    }

    private static System.Text.Json.JsonElement JsonDocument(string json) => System.Text.Json.JsonDocument.Parse(json).RootElement.Clone();

    private static IFormData Form(IAPIRequestContext request, params (string Name, string Value)[] fields)
    {
        var form = request.CreateFormData();
        foreach (var (name, value) in fields)
        {
            form.Set(name, value);
        }

        return form;
    }
}
