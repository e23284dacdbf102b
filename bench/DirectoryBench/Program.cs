// Loads USERS x 10 active sessions into the directory of one node (straight into the shards, as user
// grains would publish them), then measures list-all through HTTP on loopback: p50/p99 over QUERIES
// queries of each kind (after 30 warm-up queries) — the metadata.{key} filters among them — the managed memory the
// directory holds per session, and the console's search and counts pages over the same sessions.
// Usage: DirectoryBench [users=100000] [queries=200] [shards=64] [indexed metadata keys, comma-separated, e.g. plan]
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using Orleans.Sessions.Api;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Hosting;
using Orleans.Sessions.SessionDirectory;

var users = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var queries = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
var shards = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : DirectoryShards.DefaultCount;
var indexedKeys = args.Length > 3 ? args[3].Split(',', StringSplitOptions.RemoveEmptyEntries) : [];
const int SessionsPerUser = 10;
// Queries of each kind run before measuring: JIT tiers, and the pooled regex instances build their automata.
const int Warmup = 30;
const string Tenant = "bench";
const string BootstrapKey = "bench-bootstrap-key-0001";
var dataDirectory = Directory.CreateTempSubdirectory("orleans-sessions-directory-bench-").FullName;
var httpPort = FreePort();

var builder = WebApplication.CreateBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Sessions:DataDirectory"] = dataDirectory,
    ["Sessions:DirectoryReconcileInterval"] = "7.00:00:00",
    ["Sessions:DirectoryShards"] = shards.ToString(CultureInfo.InvariantCulture),
    ["Sessions:Auth:BootstrapKey"] = BootstrapKey,
    ["Sessions:Dashboard:Enabled"] = "false", // Not what is measured (and this host registers no dashboard).
});
builder.Configuration.AddInMemoryCollection(indexedKeys.Select((key, i) => KeyValuePair.Create<string, string?>($"Sessions:DirectoryIndexedMetadataKeys:{i}", key)));
builder.WebHost.UseUrls($"http://127.0.0.1:{httpPort}");
builder.UseOrleans(silo =>
{
    silo.UseLocalhostClustering(FreePort(), FreePort());
    silo.AddSessions(builder.Configuration).AddSessionsSqliteStorage(builder.Configuration);
});
builder.AddSessionsHttpHost();
var app = builder.Build();
app.UseSessionsApi();
await app.StartAsync();
var grains = app.Services.GetRequiredService<IGrainFactory>();

// Touch every shard first so that activation itself is not in the memory figure.
await grains.GetGrain<IDirectoryGrain>(Tenant).CountAsync(new DirectoryFilter());
var memoryBefore = Managed();
var workingSetBefore = Environment.WorkingSet;

var load = Stopwatch.StartNew();
var random = new Random(42);
string[] browsers = ["Chrome", "Chrome Mobile", "Firefox", "Safari", "Mobile Safari", "Edge", "Samsung Internet", "Opera"];
string[] systems = ["Windows", "Mac OS X", "iOS", "Android", "Linux", "Chrome OS"];
string[] deviceTypes = ["desktop", "mobile", "tablet", "desktop", "mobile", "tv", "bot", "other"];
string[] countries = ["FR", "US", "DE", "GB", "JP", "BR", "IN", "CA", "ES", "IT"];
string[] methods = ["password", "sso", "passkey", "mfa"];
// Every session carries metadata for the metadata.{key} filters: a plan (one of four: a quarter of the sessions each),
// a seat count, and an organisation (one of 1,000: a thousandth each) — 4,000 shared objects, so the memory figure stays
// that of the directory's own fields (a session's own object would add its size).
string[] planNames = ["free", "pro", "team", "enterprise"];
ImmutableSortedDictionary<string, Orleans.Sessions.Users.MetadataValue>[] plans =
[
    .. Enumerable.Range(0, planNames.Length * 1000).Select(i => ImmutableSortedDictionary.CreateRange(
    [
        KeyValuePair.Create("plan", Orleans.Sessions.Users.MetadataValue.Of(planNames[i / 1000])),
        KeyValuePair.Create("seats", new Orleans.Sessions.Users.MetadataValue(Orleans.Sessions.Users.MetadataKind.Number, (((i / 1000) + 1) * 5).ToString(CultureInfo.InvariantCulture))),
        KeyValuePair.Create("org", Orleans.Sessions.Users.MetadataValue.Of($"org-{i % 1000:D3}")),
    ])),
];
// Risk as sign-ons raise it (docs/risk.md): most sessions none; 3 % a new device, 1 % a new country, 0.5 % anonymous,
// 0.2 % impossible travel with a new country. Scores as the default weights make them.
ImmutableArray<string>[] risks =
[
    .. Enumerable.Repeat(ImmutableArray<string>.Empty, 953),
    .. Enumerable.Repeat(ImmutableArray.Create("new_device"), 30),
    .. Enumerable.Repeat(ImmutableArray.Create("new_country"), 10),
    .. Enumerable.Repeat(ImmutableArray.Create("anonymous_network"), 5),
    .. Enumerable.Repeat(ImmutableArray.Create("new_country", "impossible_travel"), 2),
];
var weights = new Orleans.Sessions.Risk.RiskOptions().Weights;
var start = new DateTime(2026, 11, 22, 0, 0, 0, DateTimeKind.Utc).Ticks;
var expires = DateTime.UtcNow.AddDays(30).Ticks;
string? middleSessionId = null;
var sent = new List<Task>();
for (var u = 0; u < users; u++)
{
    var userId = $"user-{u:D6}";
    var sessions = ImmutableArray.CreateBuilder<SessionSummary>(SessionsPerUser);
    for (var k = 0; k < SessionsPerUser; k++)
    {
        var created = start + (((long)u * SessionsPerUser) + k) * TimeSpan.TicksPerMillisecond * 3;
        var id = Ulid.NewUlid(new DateTimeOffset(created, TimeSpan.Zero)).ToString();
        if (u == users / 2 && k == 0)
        {
            middleSessionId = id;
        }

        var risk = risks[random.Next(risks.Length)];
        sessions.Add(new SessionSummary
        {
            SessionId = id,
            UserId = userId,
            CreatedAt = created,
            ActiveAt = created + (random.Next(0, 3600) * TimeSpan.TicksPerSecond),
            ExpiresAt = expires + random.Next(0, 1000),
            IdleExpiresAt = expires,
            AuthMethod = methods[random.Next(methods.Length)],
            ClientIds = ["web"],
            Ip = $"{random.Next(1, 224)}.{random.Next(0, 256)}.{random.Next(0, 256)}.{random.Next(1, 255)}",
            CountryCode = countries[random.Next(countries.Length)],
            City = null,
            Browser = browsers[random.Next(browsers.Length)],
            BrowserVersion = $"{random.Next(100, 140)}.0",
            Os = systems[random.Next(systems.Length)],
            OsVersion = $"{random.Next(10, 18)}",
            DeviceType = deviceTypes[random.Next(deviceTypes.Length)],
            Metadata = plans[random.Next(plans.Length)],
            RiskSignals = risk,
            RiskScore = Math.Min(100, risk.Sum(signal => weights[signal])),
        });
    }

    var update = new DirectoryUserUpdate(userId, 1, $"user{u}", $"User Number {u}", sessions.MoveToImmutable());
    sent.Add(grains.GetGrain<IDirectoryShardGrain>(DirectoryShards.Key(Tenant, DirectoryShards.ShardOf(userId, shards))).UpdateUserAsync(update));
}

await Task.WhenAll(sent);
using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", BootstrapKey);
var expected = users * SessionsPerUser;
while (await TotalAsync("/v1/tenants/bench/sessions/count") < expected)
{
    await Task.Delay(200);
}

load.Stop();
var memoryAfter = Managed();
var perSession = (memoryAfter - memoryBefore) / (double)expected;
Console.WriteLine($"loaded {expected:N0} active sessions ({users:N0} users x {SessionsPerUser}) into {shards} shards in {load.Elapsed.TotalSeconds:F1} s; indexed metadata keys: {(indexedKeys.Length == 0 ? "none" : string.Join(", ", indexedKeys))}");
Console.WriteLine($"directory memory: {perSession:F0} bytes per session (managed heap after full GC: {memoryBefore / 1048576.0:F0} -> {memoryAfter / 1048576.0:F0} MiB; working set {workingSetBefore / 1048576.0:F0} -> {Environment.WorkingSet / 1048576.0:F0} MiB)");

var deepCursor = ListCursor.Encode(DirectorySort.LoginAt, true, new DirectoryPosition(0, null, middleSessionId!));
(string Name, string Path)[] cases =
[
    ("first page, unfiltered (limit 50)", "/v1/tenants/bench/sessions?limit=50"),
    ("regex q over everything", "/v1/tenants/bench/sessions?limit=50&q=" + Uri.EscapeDataString("user-0*42|^10\\.")),
    ("country + deviceType", "/v1/tenants/bench/sessions?limit=50&country=FR&deviceType=mobile"),
    ("deep keyset page (after 500,000)", "/v1/tenants/bench/sessions?limit=50&cursor=" + deepCursor),
    ("sort by userName", "/v1/tenants/bench/sessions?limit=50&sort=userName"),
    ("count", "/v1/tenants/bench/sessions/count"),
    ("metadata.plan (a quarter)", "/v1/tenants/bench/sessions?limit=50&metadata.plan=enterprise"),
    ("metadata.plan + country", "/v1/tenants/bench/sessions?limit=50&metadata.plan=enterprise&country=FR"),
    ("count metadata.plan", "/v1/tenants/bench/sessions/count?metadata.plan=pro"),
    ("metadata.org (a thousandth)", "/v1/tenants/bench/sessions?limit=50&metadata.org=org-042"),
    ("count metadata.org", "/v1/tenants/bench/sessions/count?metadata.org=org-042"),
    ("risk=impossible_travel (0.2 %)", "/v1/tenants/bench/sessions?limit=50&risk=impossible_travel"),
    ("risk=new_device (3 %)", "/v1/tenants/bench/sessions?limit=50&risk=new_device"),
    ("minRiskScore=50", "/v1/tenants/bench/sessions?limit=50&minRiskScore=50"),
    ("count risk=new_country", "/v1/tenants/bench/sessions/count?risk=new_country"),
];

Console.WriteLine($"{"query",-36} {"p50 ms",8} {"p99 ms",8} {"total",10}");
foreach (var (name, path) in cases)
{
    for (var i = 0; i < Warmup; i++)
    {
        await TotalAsync(path);
    }

    var latencies = new double[queries];
    var total = 0;
    for (var i = 0; i < queries; i++)
    {
        var timer = Stopwatch.StartNew();
        total = await TotalAsync(path);
        latencies[i] = timer.Elapsed.TotalMilliseconds;
    }

    Array.Sort(latencies);
    Console.WriteLine($"{name,-36} {Percentile(latencies, 0.50),8:F1} {Percentile(latencies, 0.99),8:F1} {total,10:N0}");
}

// The same regex query as one grain call, without HTTP: what the fan-out and merge in the silo cost.
var direct = new DirectoryQuery { Filter = new DirectoryFilter { Pattern = "user-0*42|^10\\." }, Take = 50 };
var directLatencies = new double[Math.Min(queries, 50)];
for (var i = 0; i < directLatencies.Length; i++)
{
    var timer = Stopwatch.StartNew();
    await grains.GetGrain<IDirectoryGrain>(Tenant).ListAsync(direct);
    directLatencies[i] = timer.Elapsed.TotalMilliseconds;
}

Array.Sort(directLatencies);
Console.WriteLine($"{"regex, one grain call (no HTTP)",-36} {Percentile(directLatencies, 0.50),8:F1} {Percentile(directLatencies, 0.99),8:F1}");

// The console's pages over the same sessions (docs/console.md): the whole answer as a browser gets it on loopback — the
// directory's call and the page rendered — beside the API's JSON of the same query, measured alternately.
using var console = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = http.BaseAddress };
var cookie = await ConsoleSignInAsync(console, BootstrapKey);
(string Name, string Page, string Api)[] pages =
[
    ("console: sessions, first page (50)", "/console/admin/tenants/bench/sessions", "/v1/tenants/bench/sessions?limit=50"),
    ("console: sessions, country + device", "/console/admin/tenants/bench/sessions?country=FR&deviceType=mobile", "/v1/tenants/bench/sessions?limit=50&country=FR&deviceType=mobile"),
    ("console: sessions, deep keyset page", "/console/admin/tenants/bench/sessions?cursor=" + deepCursor, "/v1/tenants/bench/sessions?limit=50&cursor=" + deepCursor),
    ("console: counts, 4 charts", "/console/admin/tenants/bench/counts", "/v1/tenants/bench/sessions/count"),
    ("console: counts, risk=new_country", "/console/admin/tenants/bench/counts?risk=new_country", "/v1/tenants/bench/sessions/count?risk=new_country"),
];
Console.WriteLine($"{"console page",-36} {"p50 ms",8} {"p99 ms",8} {"dir p50",8} {"API p50",8} {"page/API",8}");
foreach (var (name, page, api) in pages)
{
    for (var i = 0; i < Warmup; i++)
    {
        await PageAsync(page);
        await TotalAsync(api);
    }

    var pageLatencies = new double[queries];
    var directoryLatencies = new double[queries];
    var apiLatencies = new double[queries];
    for (var i = 0; i < queries; i++)
    {
        var timer = Stopwatch.StartNew();
        directoryLatencies[i] = await PageAsync(page);
        pageLatencies[i] = timer.Elapsed.TotalMilliseconds;
        timer.Restart();
        await TotalAsync(api);
        apiLatencies[i] = timer.Elapsed.TotalMilliseconds;
    }

    Array.Sort(pageLatencies);
    Array.Sort(directoryLatencies);
    Array.Sort(apiLatencies);
    var pageP50 = Percentile(pageLatencies, 0.50);
    var apiP50 = Percentile(apiLatencies, 0.50);
    Console.WriteLine($"{name,-36} {pageP50,8:F1} {Percentile(pageLatencies, 0.99),8:F1} {Percentile(directoryLatencies, 0.50),8:F1} {apiP50,8:F1} {pageP50 / apiP50,8:F2}");
}

await app.StopAsync();
Directory.Delete(dataDirectory, recursive: true);
return;

// A console page read whole, as a browser would; answers what its Server-Timing says the directory took.
async Task<double> PageAsync(string path)
{
    using var request = new HttpRequestMessage(HttpMethod.Get, path);
    request.Headers.Add("Cookie", cookie);
    using var response = await console.SendAsync(request);
    response.EnsureSuccessStatusCode();
    await response.Content.ReadAsByteArrayAsync();
    var timing = response.Headers.GetValues("Server-Timing").Single(t => t.StartsWith("directory;dur=", StringComparison.Ordinal));
    return double.Parse(timing["directory;dur=".Length..], CultureInfo.InvariantCulture);
}

// Signs in to the console's administration with a key as its form does: the page's anti-forgery token and cookie, then
// the handle's cookie. The cookies are sent by hand: they are Secure, and this is plain HTTP on loopback.
static async Task<string> ConsoleSignInAsync(HttpClient client, string key)
{
    using var page = await client.GetAsync("/console/admin/sign-in");
    var html = await page.Content.ReadAsStringAsync();
    var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"csrf\" value=\"([^\"]+)\"").Groups[1].Value;
    var csrf = page.Headers.GetValues("Set-Cookie").First(c => c.StartsWith("sessions-csrf=", StringComparison.Ordinal)).Split(';')[0];
    using var post = new HttpRequestMessage(HttpMethod.Post, "/console/admin/sign-in")
    {
        Content = new FormUrlEncodedContent([KeyValuePair.Create("csrf", token), KeyValuePair.Create("key", key)]),
    };
    post.Headers.Add("Cookie", csrf);
    using var signedIn = await client.SendAsync(post);
    var handle = signedIn.Headers.GetValues("Set-Cookie").First(c => c.StartsWith("__Host-sessions-admin=", StringComparison.Ordinal)).Split(';')[0];
    return $"{csrf}; {handle}";
}

async Task<int> TotalAsync(string path)
{
    using var response = await http.GetAsync(path);
    response.EnsureSuccessStatusCode();
    using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
    return json.RootElement.GetProperty("total").GetInt32();
}

static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

static long Managed()
{
    GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    return GC.GetTotalMemory(forceFullCollection: true);
}

static int FreePort()
{
    using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
    listener.Start();
    return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
}
