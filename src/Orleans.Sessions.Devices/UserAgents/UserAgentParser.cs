using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Orleans.Sessions.Devices.UserAgents;

/// <summary>
/// Parses user agents with the ordered rule tables of <see cref="UserAgentRules"/>, then lets client hints
/// (<c>Sec-CH-UA-*</c>) correct what the frozen user-agent string hides (Windows 11, the real Android model). Results
/// are cached per user agent in a bounded cache; an unknown string gives <c>Other</c>, never an exception.
/// </summary>
public sealed class UserAgentParser
{
    public const int DefaultCacheSize = 10_000;

    private readonly ConcurrentDictionary<string, ParsedDevice> _cache = new(StringComparer.Ordinal);
    private readonly int _cacheSize;

    public UserAgentParser(int cacheSize = DefaultCacheSize) => _cacheSize = cacheSize;

    /// <summary>Parses <paramref name="userAgent"/>, from the cache when it was seen before.</summary>
    public ParsedDevice Parse(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return ParsedDevice.Unknown;
        }

        if (_cache.TryGetValue(userAgent, out var cached))
        {
            return cached;
        }

        var parsed = ParseUncached(userAgent);
        if (_cache.Count >= _cacheSize)
        {
            _cache.Clear(); // A crude bound: real traffic repeats few user agents, so the cache refills with them at once.
        }

        _cache.TryAdd(userAgent, parsed);
        return parsed;
    }

    /// <summary>Parses without the cache (for benchmarks and tests).</summary>
    public static ParsedDevice ParseUncached(string userAgent)
    {
        var browser = First(UserAgentRules.Browsers, userAgent) is { } b ? new BrowserName(b.Name, b.Version) : BrowserName.Other;
        var os = First(UserAgentRules.Systems, userAgent) is { } o ? new OsName(o.Name, o.Version) : OsName.Other;
        if (browser.Name == "Mobile Safari UI/WKWebView" && os.Version is not null)
        {
            browser = browser with { Version = os.Version }; // A web view has no version of its own: the system's WebKit.
        }

        var (vendor, model) = VendorAndModel(userAgent);
        return new ParsedDevice(browser, os, TypeOf(userAgent, browser, os), vendor, model);
    }

    /// <summary>
    /// The device with client hints applied (names are case-insensitive): the full version list names the browser
    /// and its full version, the platform and its version the system (Windows 13+ is Windows 11), mobile and model the
    /// device. Hints that say nothing leave the user agent's answer.
    /// </summary>
    public ParsedDevice Parse(string? userAgent, IReadOnlyDictionary<string, string>? clientHints)
    {
        var parsed = Parse(userAgent);
        return clientHints is null || clientHints.Count == 0 ? parsed : ClientHints.Apply(parsed, clientHints);
    }

    private static (string Name, string? Version)? First(Rule[] rules, string userAgent)
    {
        foreach (var rule in rules)
        {
            if (rule.Apply(userAgent) is { } result)
            {
                return result;
            }
        }

        return null;
    }

    private static string TypeOf(string ua, BrowserName browser, OsName os)
    {
        // Cubot is a phone maker, not a crawler.
        if ((BotPattern.IsMatch(ua) && !ua.Contains("cubot", StringComparison.OrdinalIgnoreCase)) || browser.Name.EndsWith("bot", StringComparison.OrdinalIgnoreCase) || browser.Name is "Baiduspider" or "Yahoo! Slurp" or "Bytespider")
        {
            return DeviceTypes.Bot;
        }

        if (TvPattern.IsMatch(ua))
        {
            return DeviceTypes.Tv;
        }

        if (ConsolePattern.IsMatch(ua))
        {
            return DeviceTypes.Console;
        }

        if (WearablePattern.IsMatch(ua))
        {
            return DeviceTypes.Wearable;
        }

        if (TabletPattern.IsMatch(ua) || (os.Name == "Android" && !ua.Contains("Mobi", StringComparison.Ordinal) && !ua.StartsWith("Dalvik", StringComparison.Ordinal)))
        {
            return DeviceTypes.Tablet;
        }

        // CFNetwork and Darwin from a Mac are desktop apps; the other mobile tokens never come from a Mac.
        if ((os.Name != "Mac OS X" && MobilePattern.IsMatch(ua)) || os.Name is "iOS" or "Android" or "Windows Phone" or "Windows Mobile")
        {
            return DeviceTypes.Mobile;
        }

        return os.Name is "Windows" or "Mac OS X" or "Linux" or "Ubuntu" or "Fedora" or "Debian" or "Chrome OS" or "FreeBSD" or "OpenBSD" or "NetBSD"
            && browser.Name is not ("curl" or "Wget" or "okhttp" or "Python Requests" or "Go-http-client" or "Java" or "Apache-HttpClient")
            ? DeviceTypes.Desktop
            : DeviceTypes.Other;
    }

    private static (string? Vendor, string? Model) VendorAndModel(string ua)
    {
        if (ua.Contains("iPhone", StringComparison.Ordinal))
        {
            return ("Apple", "iPhone");
        }

        if (ua.Contains("iPad", StringComparison.Ordinal))
        {
            return ("Apple", "iPad");
        }

        if (ua.Contains("iPod", StringComparison.Ordinal))
        {
            return ("Apple", "iPod");
        }

        if (ua.Contains("Macintosh", StringComparison.Ordinal))
        {
            return ("Apple", "Mac");
        }

        if (AndroidModelPattern.Match(ua) is { } android)
        {
            var model = android.Groups["model"].Value.Trim();
            // Chrome's reduced user agent says "K" for every model: the real one comes from client hints.
            return model is "K" or "" or "Mobile" or "Linux" ? (null, null) : (VendorOf(model), model);
        }

        return (null, null);
    }

    /// <summary>Vendors by model prefix, the way phone makers name their models.</summary>
    internal static string? VendorOf(string model) => model switch
    {
        _ when model.StartsWith("SM-", StringComparison.Ordinal) || model.StartsWith("GT-", StringComparison.Ordinal) || model.StartsWith("Galaxy", StringComparison.Ordinal) => "Samsung",
        _ when model.StartsWith("Pixel", StringComparison.Ordinal) || model.StartsWith("Nexus", StringComparison.Ordinal) => "Google",
        _ when model.StartsWith("Redmi", StringComparison.Ordinal) || model.StartsWith("Mi ", StringComparison.Ordinal) || model.StartsWith("POCO", StringComparison.OrdinalIgnoreCase) || model.StartsWith("M2", StringComparison.Ordinal) || model.StartsWith("2201", StringComparison.Ordinal) => "Xiaomi",
        _ when model.StartsWith("CPH", StringComparison.Ordinal) => "OPPO",
        _ when model.StartsWith("RMX", StringComparison.Ordinal) => "Realme",
        _ when model.StartsWith("ONEPLUS", StringComparison.OrdinalIgnoreCase) || model.StartsWith("IN20", StringComparison.Ordinal) || model.StartsWith("LE2", StringComparison.Ordinal) || model.StartsWith("CPH25", StringComparison.Ordinal) => "OnePlus",
        _ when model.StartsWith("moto", StringComparison.OrdinalIgnoreCase) || model.StartsWith("XT", StringComparison.Ordinal) => "Motorola",
        _ when model.StartsWith("vivo", StringComparison.OrdinalIgnoreCase) || model.StartsWith("V2", StringComparison.Ordinal) => "vivo",
        _ when model.StartsWith("HUAWEI", StringComparison.OrdinalIgnoreCase) || model.Contains("-L29", StringComparison.Ordinal) || model.Contains("-LX", StringComparison.Ordinal) => "Huawei",
        _ when model.StartsWith("KF", StringComparison.Ordinal) || model.StartsWith("AFT", StringComparison.Ordinal) => "Amazon",
        _ when model.StartsWith("LM-", StringComparison.Ordinal) || model.StartsWith("LG", StringComparison.Ordinal) => "LG",
        _ when model.StartsWith("Nokia", StringComparison.OrdinalIgnoreCase) => "Nokia",
        _ when model.StartsWith("SHIELD", StringComparison.Ordinal) => "NVIDIA",
        _ => null,
    };

    /// <summary>The patterns device types and models are read with (for tests of the literal prefilter).</summary>
    internal static TokenPattern[] Patterns => [BotPattern, TvPattern, ConsolePattern, WearablePattern, TabletPattern, MobilePattern, AndroidModelPattern];

    private static readonly TokenPattern BotPattern = new(@"[Bb]ot\b|[Bb]ot/|[Cc]rawler|[Ss]pider|Slurp|facebookexternalhit|HeadlessChrome|Lighthouse");

    private static readonly TokenPattern TvPattern = new(@"SMART-TV|SmartTV|Smart TV|GoogleTV|Android TV|AndroidTV|\bTV\b|Web0S|webOS\.TV|HbbTV|AppleTV|BRAVIA|Roku|\bAFT[A-Z]|SHIELD Android TV|CrKey");

    private static readonly TokenPattern ConsolePattern = new(@"PlayStation|Xbox|Nintendo");

    // VR headsets (Android underneath) are worn too.
    private static readonly TokenPattern WearablePattern = new(@"Watch OS|watchOS|Wear OS|SM-R\d{3}|\bWatch\b|OculusBrowser|; Quest\b");

    private static readonly TokenPattern TabletPattern = new(@"iPad|Tablet|\bSM-[TX]\d|Kindle|Silk/|\bKF[A-Z]{2,}");

    private static readonly TokenPattern MobilePattern = new(@"Mobile|iPhone|iPod|Windows Phone|CFNetwork|Dalvik|Opera Mini|Opera Mobi|IEMobile|Windows ?CE|UCWEB|J2ME|MIDP");

    private static readonly TokenPattern AndroidModelPattern = new(@"Android[ /][\d.]*; (?:[a-z]{2}[-_][A-Za-z]{2}; )?(?<model>[^;)]+?)(?: Build/[^;)]*)?[;)]", RegexOptions.ExplicitCapture);
}
