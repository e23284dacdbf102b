using System.Net;
using Microsoft.Playwright;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Api.Tests.Console;

/// <summary>
/// Every end-user page at desktop and phone width, light and dark: no policy violation, no console error, nothing
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
        System.IO.Directory.CreateDirectory(Directory);
        foreach (var (name, path, status, signedIn) in pages)
        {
            foreach (var (variant, width, scheme) in Variants)
            {
                await using var visit = await browser.OpenAsync(width, scheme);
                if (signedIn)
                {
                    await visit.Page.GotoAsync($"http://localhost:{factory.Port}/console/me?token={token}"); // the link: its cookie
                }

                var response = await visit.Page.GotoAsync($"http://localhost:{factory.Port}{path}");
                Assert.Equal(status, response!.Status);
                await visit.AssertCleanAsync($"{name} {variant}", status == 200 ? null : status);
                await visit.Page.ScreenshotAsync(new() { Path = Path.Combine(Directory, $"{name}-{variant}.png"), FullPage = true });
            }
        }

        Assert.Equal(pages.Length * Variants.Length, System.IO.Directory.GetFiles(Directory, "*.png").Length - OtherScreenshots());
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"{api.Sessions}/{phone}")).Status);
    }

    /// <summary>Screenshots in the folder that are not this test's (another run may keep some there).</summary>
    private static int OtherScreenshots() =>
        System.IO.Directory.GetFiles(Directory, "*.png").Count(f => !Variants.Any(v => f.EndsWith($"-{v.Name}.png", StringComparison.Ordinal)));
}
