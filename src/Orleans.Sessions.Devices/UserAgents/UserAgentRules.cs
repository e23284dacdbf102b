using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Orleans.Sessions.Devices.Tests")]

namespace Orleans.Sessions.Devices.UserAgents;

/// <summary>
/// The rule tables, most specific first (an in-app browser before the engine it embeds, Edge and Opera before the
/// Chrome they are built on, Chrome before the Safari token every WebKit browser sends). Names follow the ua-parser
/// family of libraries, so counts mean what they mean elsewhere. Rules read product tokens (<c>Name/version</c>), not
/// whole strings: a browser's token in a user agent nobody has seen still names it.
/// </summary>
internal static class UserAgentRules
{
    private const string V = @"(?<v>\d+(?:[._]\d+)*)";

    public static readonly Rule[] Browsers =
    [
        // Crawlers and bots.
        Rule.Of($@"Googlebot(?:-Image|-Video|-News)?/{V}", "Googlebot"),
        Rule.Of($@"bingbot/{V}", "bingbot"),
        Rule.Of($@"Baiduspider(?:-render)?/{V}", "Baiduspider"),
        Rule.Of($@"YandexBot/{V}", "YandexBot"),
        Rule.Of($@"DuckDuckBot(?:-Https)?/{V}", "DuckDuckBot"),
        Rule.Of(@"Yahoo! Slurp", "Yahoo! Slurp", 0),
        Rule.Of($@"facebookexternalhit/{V}", "FacebookBot"),
        Rule.Of($@"Twitterbot/{V}", "Twitterbot"),
        Rule.Of($@"LinkedInBot/{V}", "LinkedInBot"),
        Rule.Of($@"Applebot/{V}", "Applebot"),
        Rule.Of($@"AhrefsBot/{V}", "AhrefsBot"),
        Rule.Of($@"SemrushBot(?:-[A-Za-z]+)?/{V}", "SemrushBot"),
        Rule.Of($@"GPTBot/{V}", "GPTBot"),
        Rule.Of($@"ClaudeBot/{V}", "ClaudeBot"),
        Rule.Of($@"PetalBot", "PetalBot", 0),
        Rule.Of($@"Bytespider", "Bytespider", 0),
        Rule.Of($@"Slackbot(?:-LinkExpanding)? {V}", "Slackbot"),
        Rule.Of($@"Discordbot/{V}", "Discordbot"),
        Rule.Of($@"Pinterest(?:bot)?/{V}.*pinterest\.com/bot", "Pinterestbot"),
        // Any other crawler by the name it gives itself: a product token ending in bot, spider or crawler.
        Rule.Of($@"\b(?<name>[A-Za-z][A-Za-z0-9_.-]*(?:[Bb]ot|[Ss]pider|[Cc]rawler))/v?{V}", "$name", 1, ["bot/", "Bot/", "pider/", "rawler/"]),

        // HTTP libraries and tools.
        Rule.Of($@"^curl/{V}", "curl"),
        Rule.Of($@"^Wget/{V}", "Wget"),
        Rule.Of($@"okhttp/{V}", "okhttp"),
        Rule.Of($@"python-requests/{V}", "Python Requests"),
        Rule.Of($@"Python-urllib/{V}", "Python-urllib"),
        Rule.Of($@"aiohttp/{V}", "aiohttp"),
        Rule.Of($@"Go-http-client/{V}", "Go-http-client"),
        Rule.Of($@"Apache-HttpClient/{V}", "Apache-HttpClient"),
        Rule.Of($@"^Java/{V}", "Java"),
        Rule.Of($@"PostmanRuntime/{V}", "PostmanRuntime"),
        Rule.Of($@"axios/{V}", "axios"),
        Rule.Of($@"node-fetch/{V}", "node-fetch"),

        // In-app browsers: the app's token, wherever the web view puts it.
        Rule.Of(@"FBAN/MessengerFor", "Facebook Messenger", 0),
        Rule.Of(@"FB_IAB/MESSENGER", "Facebook Messenger", 0),
        Rule.Of($@"FBAV/{V}", "Facebook"),
        Rule.Of(@"\[FBAN/", "Facebook", 0),
        Rule.Of(@"FB_IAB/", "Facebook", 0),
        Rule.Of($@"Instagram {V}", "Instagram"),
        Rule.Of($@"Pinterest(?: for (?:Android|iOS)(?: Tablet)?)?/{V}", "Pinterest"),
        Rule.Of(@"\[Pinterest/", "Pinterest", 0),
        Rule.Of($@"Snapchat/?{V}", "Snapchat"),
        Rule.Of($@"Twitter for i(?:Phone|Pad)(?:/{V})?", "Twitter"),
        Rule.Of(@"TwitterAndroid", "Twitter", 0),
        Rule.Of($@"\bLine/{V}", "LINE"),
        Rule.Of($@"MicroMessenger/{V}", "WeChat Browser"),
        Rule.Of(@"__weibo__|\bWeibo(?:Intl|lite)", "Weibo", 0),
        Rule.Of($@"LinkedInApp\]?/{V}", "LinkedIn"),
        Rule.Of($@"musical_ly_{V}", "TikTok"),
        Rule.Of($@"MSOffice {V}", "Outlook"),
        Rule.Of($@"Microsoft Outlook {V}", "Outlook"),
        Rule.Of($@"Outlook-Express/{V}", "Windows Live Mail"),
        // Desktop apps on Chromium that name themselves, so they are not counted as Chrome.
        Rule.Of($@"Spotify/{V} Safari/", "Spotify"),
        Rule.Of($@"\bOBS/{V}", "OBS Studio"),
        Rule.Of($@"RuxitSynthetic/{V}", "Ruxit Synthetic"),
        Rule.Of($@"bdhonorbrowser/{V}", "Honor Browser"),
        Rule.Of($@"\bIron/{V}", "Iron"),

        // Browsers built on Chromium or WebKit, before the engines.
        Rule.Of($@"Edg(?:A|iOS)/{V}", "Edge Mobile"),
        Rule.Of($@"Windows Phone.*Edge/{V}", "Edge Mobile"),
        Rule.Of($@"Edge?/{V}", "Edge"),
        Rule.Of($@"OculusBrowser/{V}", "Oculus Browser"),
        // UC Browser names itself many ways: UCBrowser/9.3, UCBrowser8.3, UC Browser7.4, UCWEB7.9, UCMobile, UBrowser.
        Rule.Of($@"UC ?Browser(?:-[A-Za-z]+)?/?{V}", "UC Browser"),
        Rule.Of($@"UCMobile/{V}", "UC Browser"),
        Rule.Of($@"\bUBrowser/{V}", "UC Browser"),
        Rule.Of($@"UCWEB/?{V}", "UC Browser"),
        Rule.Of(@"^[IJ]UC ?\(", "UC Browser", 0),
        Rule.Of(@"\) UC AppleWebKit", "UC Browser", 0),
        // Opera: Mini (a server renders the page) before Mobile before the desktop browser, Presto before Chromium.
        Rule.Of($@"Opera ?Mini(?:/att)?/{V}", "Opera Mini"),
        Rule.Of(@"Opera ?Mini", "Opera Mini", 0),
        Rule.Of($@"OPiOS/{V}", "Opera Mini"),
        Rule.Of($@"Opera Mobi.*Version/{V}", "Opera Mobile"),
        Rule.Of($@"Opera Mobi.*Opera {V}", "Opera Mobile"),
        Rule.Of(@"Opera Mobi", "Opera Mobile", 0),
        Rule.Of($@"Opera Tablet.*Version/{V}", "Opera Tablet"),
        Rule.Of($@"OPR/{V}.*Mobile|Mobile.*OPR/{V}", "Opera Mobile"),
        Rule.Of($@"OPT/{V}", "Opera Touch"),
        Rule.Of($@"OPX/{V}", "Opera GX"),
        Rule.Of($@"OPR/{V}", "Opera"),
        Rule.Of($@"Coast/{V}", "Opera Coast"),
        Rule.Of($@"Opera/9\.80.*Version/{V}", "Opera"),
        Rule.Of($@"Opera[/ ]{V}", "Opera"),
        Rule.Of($@"SamsungBrowser/{V}", "Samsung Internet"),
        Rule.Of($@"YaBrowser/{V}", "Yandex Browser"),
        Rule.Of($@"Ya(?:ndex)?SearchBrowser/{V}", "Yandex Browser"),
        Rule.Of($@"Whale/{V}", "Whale"),
        Rule.Of($@"coc_coc_browser/{V}", "Coc Coc"),
        Rule.Of($@"MQQBrowser/Mini{V}", "QQ Browser Mini"),
        Rule.Of($@"MQQBrowser/{V}", "QQ Browser Mobile"),
        Rule.Of($@"QQBrowser(?:/{V})?", "QQ Browser"),
        Rule.Of($@"MiuiBrowser/{V}", "MiuiBrowser"),
        Rule.Of($@"HuaweiBrowser/{V}", "Huawei Browser"),
        Rule.Of($@"Vivaldi/{V}", "Vivaldi"),
        Rule.Of($@"Brave/{V}", "Brave"),
        Rule.Of(@"\b[Bb]rave\b", "Brave", 0),
        Rule.Of($@"DuckDuckGo/{V}", "DuckDuckGo Mobile"),
        Rule.Of($@"(?:iPhone|iPad|iPod|Android).*Ddg/{V}", "DuckDuckGo Mobile"),
        Rule.Of($@"Ddg/{V}", "DuckDuckGo"),
        Rule.Of($@"Silk/{V}", "Amazon Silk"),
        Rule.Of($@"Puffin/{V}", "Puffin"),
        Rule.Of($@"Dolphin(?:HDCN)?[/ ](?:INT-)?{V}", "Dolphin"),
        Rule.Of($@"QtWebEngine/{V}", "Qt Web Engine"),
        Rule.Of($@"HeadlessChrome/{V}", "HeadlessChrome"),
        Rule.Of($@"Chromium/{V}", "Chromium"),
        Rule.Of($@"FxiOS/{V}", "Firefox iOS"),
        Rule.Of($@"IEMobile[/ ]{V}", "IE Mobile"),
        Rule.Of($@"Trident/7\.0.*rv[: ]{V}", "IE"),
        Rule.Of($@"(?:Android|Mobile|Tablet).*Firefox/{V}", "Firefox Mobile"),
        Rule.Of($@"Firefox/{V}", "Firefox"),
        Rule.Of($@"CriOS/{V}", "Chrome Mobile iOS"),
        Rule.Of($@"; wv\).*Chrome/{V}", "Chrome Mobile WebView"),
        // Android's WebView before 5.0 said Version/4.0 beside its Chrome token (no "; wv").
        Rule.Of($@"Android.*Version/\d[\d.]* .*Chrome/{V}", "Chrome Mobile WebView"),
        Rule.Of($@"Chrome/{V} Mobile", "Chrome Mobile"),
        Rule.Of($@"CrMo/{V}", "Chrome Mobile"), // Chrome for Android before 18
        Rule.Of($@"Chrome/{V}", "Chrome"),
        Rule.Of($@"(?:BlackBerry|BB10|PlayBook).*Version/{V}", "BlackBerry WebKit"),
        // Android's own browser: WebKit with Version/ and no Chrome token.
        Rule.Of($@"Android[ /]?{V}.*Version/\d[\d.]*.*Safari/", "Android"),
        Rule.Of($@"Android[ /]?{V}.*Browser/AppleWebKit", "Android"),
        Rule.Of($@"Android[ /;]?(?:{V})?[^)]*\).*AppleWebKit/.*Safari/", "Android"),
        Rule.Of($@"(?:iPhone|iPad|iPod).*Version/{V}.*Mobile.*Safari", "Mobile Safari"),
        Rule.Of($@"(?:iPhone|iPad|iPod).*AppleWebKit/{V}", "Mobile Safari UI/WKWebView", 0),
        Rule.Of($@"Version/{V}.*Safari/", "Safari"),
        // Safari before 3.0 had no Version/ token: only its build number.
        Rule.Of($@"(?:Macintosh|macintosh|Windows).*AppleWebKit/.*Safari/{V}", "Safari", 0),
        Rule.Of($@"MSIE {V}", "IE"),

        // Mobile apps' own HTTP stacks (Safari itself on a Mac fetches through CFNetwork too).
        Rule.Of(@"^Safari/?\d", "Safari", 0),
        Rule.Of($@"CFNetwork/{V}", "CFNetwork"),
        Rule.Of($@"Dalvik/{V}", "Dalvik"),
    ];

    public static readonly Rule[] Systems =
    [
        Rule.Of($@"Windows Phone(?: OS)? {V}", "Windows Phone"),
        Rule.Of(@"Windows Phone|XBLWP7|ZuneWP7|WPDesktop", "Windows Phone", 0),
        Rule.Of($@"\bwds {V}", "Windows Phone"),
        Rule.Of(@"Windows Mobile", "Windows Mobile", 0),
        Rule.Of(@"Windows NT 10\.0", "Windows|10", 0),
        Rule.Of(@"Windows NT 6\.4", "Windows|10", 0), // the Windows 10 previews
        Rule.Of(@"Windows NT 6\.3", "Windows|8.1", 0),
        Rule.Of(@"Windows NT 6\.2", "Windows|8", 0),
        Rule.Of(@"Windows NT 6\.1", "Windows|7", 0),
        Rule.Of(@"Windows NT 6\.0", "Windows|Vista", 0),
        Rule.Of(@"Windows NT 5\.[12]", "Windows|XP", 0), // 5.2: XP x64 and Server 2003
        Rule.Of(@"Windows (?:NT 5\.0|2000)|Win(?:dows)? NT 5\.0", "Windows|2000", 0),
        Rule.Of(@"Windows (?:ME|9x)|Win 9x 4\.90", "Windows|ME", 0),
        Rule.Of(@"Win(?:dows )?98", "Windows|98", 0),
        Rule.Of(@"Win(?:dows )?95", "Windows|95", 0),
        Rule.Of(@"Windows ?CE", "Windows|CE", 0),
        Rule.Of(@"Win(?:dows )?3\.1|Win16", "Windows|3.1", 0),
        Rule.Of(@"Xbox", "Windows", 0),
        // Linux and Android outweigh a model name that happens to say iPhone or iPad.
        Rule.Of($@"Linux;.*Android[ /]{V}", "Android"),
        Rule.Of($@"\biP(?:hone|ad|od)(?:.*?) OS {V}", "iOS"),
        Rule.Of($@"CPU OS {V} like Mac OS X", "iOS"), // Apple TV, HomePod and Watch media agents
        Rule.Of(@"\biP(?:hone|ad|od)", "iOS", 0),
        // An iOS-only browser token decides even when the page asked for the desktop site (Macintosh).
        Rule.Of(@"CriOS/|EdgiOS/|FxiOS/|OPiOS/", "iOS", 0),
        Rule.Of($@"\bi(?:Ph|Pd) OS {V}", "iOS"), // UC Browser's abbreviations
        Rule.Of(@"\biP(?:h|d|od)\d+,\d", "iOS", 0), // Apple's model identifiers (iPhone10,3) and UC's (iPh10,3)
        Rule.Of($@"\biOS {V}", "iOS"),
        Rule.Of(@"\biOS\b", "iOS", 0),
        Rule.Of($@"CrOS [^ ]+ {V}", "Chrome OS"),
        Rule.Of(@"\bCrOS\b", "Chrome OS", 0),
        Rule.Of(@"X11; Windows ", "Chrome OS", 0), // Citrix on a Chromebook
        // Amazon's Silk and VR headsets run Android, though some of their agents say Linux or Macintosh.
        Rule.Of(@"Silk/|Silk-Accelerated", "Android", 0),
        Rule.Of(@"OculusBrowser/|; Quest\b", "Android", 0),
        // Darwin from a Mac names its architecture or model; from an iPhone or iPad it names neither.
        Rule.Of(@"Darwin/.*(?:x86_64|i386|Mac(?:Book|mini|Pro)|iMac)", "Mac OS X", 0),
        Rule.Of(@"\bdarwin\b|\bmacos\b", "Mac OS X", 0),
        Rule.Of($@"Mac OS X(?: Version)?[ /]{V}", "Mac OS X"),
        Rule.Of(@"\bMac OS/1\d", "Mac OS X", 0), // Office for Mac: Mac OS/10.15.6, Mac OS/11.1
        Rule.Of(@"Macintosh|Mac OS X", "Mac OS X", 0),
        Rule.Of($@"Android[ /]{V}", "Android"),
        Rule.Of(@"Android|\bandroid\b", "Android", 0),
        Rule.Of($@"\bAdr {V}", "Android"), // UC Browser's abbreviation
        Rule.Of(@"FBAN/FB4A|FB_IAB/FB4A|FBSN/Android", "Android", 0), // Facebook for Android
        Rule.Of($@"^JUC ?\(Linux; ?U; ?{V}", "Android"),
        Rule.Of($@"PlayStation (?<name>\d)", "PlayStation $name", 0),
        Rule.Of(@"Nintendo Switch", "Nintendo Switch", 0),
        Rule.Of($@"Tizen {V}", "Tizen"),
        Rule.Of(@"Web0S|webOS", "webOS", 0),
        Rule.Of($@"Ubuntu(?:/{V})?", "Ubuntu"),
        Rule.Of($@"Fedora(?:/{V})?", "Fedora"),
        Rule.Of(@"Debian", "Debian", 0),
        Rule.Of(@"(?<name>FreeBSD|OpenBSD|NetBSD)", "$name", 0, ["BSD"]),
        Rule.Of(@"Windows NT 4\.0|WinNT4\.0", "Windows|NT 4.0", 0),
        Rule.Of(@"\bWindows\b|\bWin(?:32|64|NT)\b|_Windows_NT|\bwin(?:7|8|10|11)\b", "Windows", 0),
        Rule.Of(@"Linux|linux-gnu|\blinux\b", "Linux", 0),
        Rule.Of($@"Darwin/{V}", "iOS", 0),
        Rule.Of(@"CFNetwork", "iOS", 0),
    ];
}
