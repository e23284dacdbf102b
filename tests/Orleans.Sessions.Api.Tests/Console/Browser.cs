using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Orleans.Sessions.Api.Tests.Console;

/// <summary>
/// A headless Chromium — Debian's <c>chromium</c> package, at <c>SESSIONS_TEST_CHROMIUM</c> or its usual paths — driven
/// by Playwright. A machine without it fails the console tests, saying what to install; nothing is skipped.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    private static readonly string[] KnownPaths = ["/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser"];

    private IPlaywright? _playwright;

    public IBrowser Chromium { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var path = Environment.GetEnvironmentVariable("SESSIONS_TEST_CHROMIUM") is { Length: > 0 } configured ? configured : KnownPaths.FirstOrDefault(File.Exists);
        if (path is null || !File.Exists(path))
        {
            throw new InvalidOperationException(
                "The console tests need Chromium: on Debian `apt-get install chromium fonts-liberation`, or set SESSIONS_TEST_CHROMIUM to a Chromium binary.");
        }

        _playwright = await Playwright.CreateAsync();
        Chromium = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = path, Headless = true });
    }

    public async ValueTask DisposeAsync()
    {
        if (Chromium is not null)
        {
            await Chromium.CloseAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>
    /// A new browser context (its own cookies) at <paramref name="width"/> px in <paramref name="scheme"/>, speaking
    /// <paramref name="locale"/>, that records every Content-Security-Policy violation and console error of its pages.
    /// </summary>
    public async Task<Visit> OpenAsync(int width = 1280, ColorScheme scheme = ColorScheme.Light, string locale = "en-US")
    {
        var context = await Chromium.NewContextAsync(new()
        {
            ViewportSize = new() { Width = width, Height = width < 600 ? 780 : 900 },
            ColorScheme = scheme,
            Locale = locale,
        });
        // Runs before any page script and is not subject to the page's policy.
        await context.AddInitScriptAsync("""
            window.__violations = [];
            document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.effectiveDirective + ' ' + e.blockedURI));
            """);
        // The machine runs several browsers and hosts at once on two cores: a page may take a while.
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        var visit = new Visit(context, page);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                visit.ConsoleErrors.Add(message.Text);
            }
        };
        return visit;
    }
}

/// <summary>One browser context and its page, with what its pages complained of.</summary>
public sealed class Visit(IBrowserContext context, IPage page) : IAsyncDisposable
{
    public IBrowserContext Context => context;

    public IPage Page => page;

    public List<string> ConsoleErrors { get; } = [];

    /// <summary>The page's Content-Security-Policy violations so far (empty is what every test wants).</summary>
    public Task<string[]> ViolationsAsync() => page.EvaluateAsync<string[]>("() => window.__violations");

    /// <summary>Axe's serious and critical findings on the page as it is now, one line each.</summary>
    public async Task<IReadOnlyList<string>> AccessibilityProblemsAsync()
    {
        var result = await page.RunAxe();
        return [.. result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Impact} {v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => n.Html))})")];
    }

    /// <summary>
    /// Checks the page as every console page must be: no policy violation, no console error since the last check — but
    /// the browser's own report of the page's status when that is <paramref name="documentStatus"/> (a 401 page says so)
    /// — and nothing serious for axe.
    /// </summary>
    public async Task AssertCleanAsync(string what, int? documentStatus = null)
    {
        Assert.True((await ViolationsAsync()).Length == 0, $"{what}: CSP violations {string.Join("; ", await ViolationsAsync())}");
        var errors = ConsoleErrors.Where(e => documentStatus is null || !e.StartsWith($"Failed to load resource: the server responded with a status of {documentStatus} ", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, $"{what}: console errors {string.Join("; ", errors)}");
        ConsoleErrors.Clear(); // Judged: the next check is of what comes after.
        var problems = await AccessibilityProblemsAsync();
        Assert.True(problems.Count == 0, $"{what}: {string.Join("\n", problems)}");
    }

    public async ValueTask DisposeAsync() => await context.CloseAsync();
}
