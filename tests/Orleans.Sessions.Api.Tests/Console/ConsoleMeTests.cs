using System.Net;
using Microsoft.Playwright;

namespace Orleans.Sessions.Api.Tests.Console;

/// <summary>
/// "Where you're signed in" (docs/console.md, "My sessions") in a real browser: the link with the session token, the
/// cards, signing out another device and this one — checked through the API — the cookie's flags, the policy, axe, and
/// the refusals a browser cannot show (a forged form, a dead link), over HTTP.
/// </summary>
public sealed class ConsoleMeTests(OwnClockApiFactory factory, Browser browser) : IClassFixture<OwnClockApiFactory>, IClassFixture<Browser>
{
    internal const string Windows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    internal const string IPhone = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

    private string Base => $"http://localhost:{factory.Port}";

    [Fact]
    public async Task The_user_opens_the_link_sees_a_card_per_device_and_signs_out_another_which_the_API_shows_revoked()
    {
        var api = new ApiClient(factory.CreateClient());
        var (laptop, token) = await SignOnAsync(api, "81.2.69.142", Windows);
        factory.Clock.Advance(TimeSpan.FromMinutes(3));
        var (phone, _) = await SignOnAsync(api, "175.16.199.0", IPhone);

        await using var visit = await browser.OpenAsync();
        await visit.Page.GotoAsync($"{Base}/console/me?token={token}");

        // The token went into the cookie and out of the address bar.
        Assert.Equal($"{Base}/console/me", visit.Page.Url);
        var cookie = Assert.Single(await visit.Context.CookiesAsync(), c => c.Name == "__Host-sessions-me");
        Assert.Equal((true, true, SameSiteAttribute.Strict, "/"), (cookie.HttpOnly, cookie.Secure, cookie.SameSite, cookie.Path));

        Assert.Equal(2, await visit.Page.Locator("li.card").CountAsync());
        var laptopCard = await visit.Page.Locator($"li.card[data-session='{laptop}']").InnerTextAsync();
        Assert.Contains("Chrome on Windows", laptopCard, StringComparison.Ordinal);
        Assert.Contains("This device", laptopCard, StringComparison.Ordinal);
        Assert.Contains("London, United Kingdom", laptopCard, StringComparison.Ordinal);
        Assert.Contains("Active 3 minutes ago", laptopCard, StringComparison.Ordinal);
        var phoneCard = visit.Page.Locator($"li.card[data-session='{phone}']");
        Assert.Contains("Mobile Safari on iOS", await phoneCard.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Changchun, China", await phoneCard.InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("This device", await phoneCard.InnerTextAsync(), StringComparison.Ordinal);
        await visit.AssertCleanAsync("my sessions");

        await phoneCard.GetByRole(AriaRole.Link, new() { Name = "Sign out" }).ClickAsync();
        await visit.Page.WaitForURLAsync(url => url == $"{Base}/console/me/sessions/{phone}/sign-out");
        Assert.Equal("Sign out of Mobile Safari on iOS?", await visit.Page.Locator("h1").InnerTextAsync());
        await visit.AssertCleanAsync("the confirmation");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await visit.Page.WaitForURLAsync(url => url == $"{Base}/console/me?ended={phone}");
        Assert.Equal(1, await visit.Page.Locator("li.card").CountAsync());
        Assert.Equal(0, await visit.Page.Locator($"li.card[data-session='{phone}']").CountAsync());
        Assert.Equal("That session is signed out.", await visit.Page.GetByRole(AriaRole.Status).InnerTextAsync());
        var (_, ended) = await api.GetAsync($"{api.Sessions}/{phone}");
        Assert.Equal(("revoked", "self", "signed out in the console"), (ended.Str("status"), ended.GetProperty("end").Str("by"), ended.GetProperty("end").Str("reason")));
        Assert.Equal("active", (await api.GetAsync($"{api.Sessions}/{laptop}")).Body.Str("status"));
    }

    [Fact]
    public async Task Signing_out_this_device_ends_the_session_and_the_console_with_it()
    {
        var api = new ApiClient(factory.CreateClient());
        var (laptop, token) = await SignOnAsync(api, "81.2.69.142", Windows);
        await SignOnAsync(api, "89.160.20.112", IPhone);
        await using var visit = await browser.OpenAsync(locale: "de-DE");
        await visit.Page.GotoAsync($"{Base}/console/me?token={token}");
        factory.Clock.Advance(TimeSpan.FromMinutes(3));
        await visit.Page.ReloadAsync();
        Assert.Contains("Aktiv vor 3 Minuten", await visit.Page.Locator($"li.card[data-session='{laptop}']").InnerTextAsync(), StringComparison.Ordinal);

        await visit.Page.Locator($"li.card[data-session='{laptop}']").GetByRole(AriaRole.Link, new() { Name = "Sign out" }).ClickAsync();
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        Assert.Equal("You are signed out", await visit.Page.Locator("h1").InnerTextAsync());
        await visit.AssertCleanAsync("signed out");
        Assert.DoesNotContain(await visit.Context.CookiesAsync(), c => c.Name == "__Host-sessions-me");
        Assert.Equal("revoked", (await api.GetAsync($"{api.Sessions}/{laptop}")).Body.Str("status"));
        var again = await visit.Page.GotoAsync($"{Base}/console/me");
        Assert.Equal(401, again!.Status);
        Assert.Equal("Open this page from your application", await visit.Page.Locator("h1").InnerTextAsync());
        await visit.AssertCleanAsync("after the end", documentStatus: 401);
    }

    [Fact]
    public async Task Signing_out_everywhere_else_keeps_only_this_device()
    {
        var api = new ApiClient(factory.CreateClient());
        var (laptop, token) = await SignOnAsync(api, "81.2.69.142", Windows);
        var (phone, _) = await SignOnAsync(api, "175.16.199.0", IPhone);
        var (tablet, _) = await SignOnAsync(api, "216.160.83.56", IPhone.Replace("iPhone", "iPad", StringComparison.Ordinal));
        await using var visit = await browser.OpenAsync(width: 360, scheme: ColorScheme.Dark);
        await visit.Page.GotoAsync($"{Base}/console/me?token={token}");

        await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Sign out everywhere else" }).ClickAsync();
        await visit.AssertCleanAsync("the confirmation, dark, 360 px");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out everywhere else" }).ClickAsync();

        await visit.Page.WaitForURLAsync(url => url == $"{Base}/console/me?ended=others");
        Assert.Equal([laptop], await visit.Page.Locator("li.card").EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.session)"));
        foreach (var other in new[] { phone, tablet })
        {
            Assert.Equal("revoked", (await api.GetAsync($"{api.Sessions}/{other}")).Body.Str("status"));
        }

        await visit.AssertCleanAsync("my sessions, dark, 360 px");
    }

    [Fact]
    public async Task A_form_without_the_consoles_token_is_403_and_changes_nothing_and_a_dead_link_is_401()
    {
        var api = new ApiClient(factory.CreateClient());
        var (laptop, token) = await SignOnAsync(api, "81.2.69.142", Windows);
        var (phone, _) = await SignOnAsync(api, "175.16.199.0", IPhone);
        using var http = factory.CreateAnonymousClient();

        foreach (var form in new[] { new Dictionary<string, string>(), new Dictionary<string, string> { ["csrf"] = "forged" } })
        {
            using var post = new HttpRequestMessage(HttpMethod.Post, $"/console/me/sessions/{phone}/sign-out") { Content = new FormUrlEncodedContent(form) };
            post.Headers.Add("Cookie", $"__Host-sessions-me={token}");
            using var refused = await http.SendAsync(post, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        // Bodies that are no form at all, or a broken one: refused the same way.
        foreach (var (body, type) in new[] { ("{\"csrf\":\"x\"}", "application/json"), ("--zz\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc", "multipart/form-data; boundary=zz") })
        {
            using var post = new HttpRequestMessage(HttpMethod.Post, "/console/me/sign-out-others") { Content = new StringContent(body) };
            post.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(type);
            post.Headers.Add("Cookie", $"__Host-sessions-me={token}");
            using var refused = await http.SendAsync(post, TestContext.Current.CancellationToken);
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{type}: {refused.StatusCode}");
        }

        Assert.Equal("active", (await api.GetAsync($"{api.Sessions}/{phone}")).Body.Str("status"));
        using var dead = await http.GetAsync($"/console/me?token={token[..^4]}AAAA", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, dead.StatusCode);
        Assert.DoesNotContain("Set-Cookie", dead.Headers.Select(h => h.Key));
        using var none = await http.GetAsync("/console/me", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("active", (await api.GetAsync($"{api.Sessions}/{laptop}")).Body.Str("status"));
    }

    [Fact]
    public async Task Pages_forbid_framing_caching_and_inline_code_and_assets_are_fingerprinted_for_a_year()
    {
        using var http = factory.CreateAnonymousClient();
        using var page = await http.GetAsync("/console/me", TestContext.Current.CancellationToken);
        var csp = Assert.Single(page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", Assert.Single(page.Headers.GetValues("X-Frame-Options")));
        Assert.True(page.Headers.CacheControl is { NoStore: true, NoCache: true }, page.Headers.CacheControl?.ToString());

        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var stylesheet = System.Text.RegularExpressions.Regex.Match(html, "href=\"(/console/assets/console\\.[0-9a-f]{10}\\.css)\"").Groups[1].Value;
        Assert.NotEmpty(stylesheet);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        using var css = await http.GetAsync(stylesheet, TestContext.Current.CancellationToken);
        Assert.Equal((HttpStatusCode.OK, "text/css"), (css.StatusCode, css.Content.Headers.ContentType?.MediaType));
        Assert.Equal("public, max-age=31536000, immutable", css.Headers.CacheControl?.ToString());
        using var stale = await http.GetAsync("/console/assets/console.0000000000.css", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, stale.StatusCode);
    }

    /// <summary>A sign-on through the API: the session's id and its token (what an application puts in the link).</summary>
    internal static async Task<(string Id, string Token)> SignOnAsync(ApiClient api, string ip, string userAgent, long? idleTimeout = null, string authMethod = "password")
    {
        var (status, body) = await api.PostAsync(api.Sessions, new { ip, userAgent, authMethod, idleTimeout });
        Assert.Equal(HttpStatusCode.Created, status);
        return (body.GetProperty("session").Str("id"), body.Str("token"));
    }
}
