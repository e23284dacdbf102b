// bench/run.sh's grain-level figures (bench/README.md): one silo in this process as shipped (durable SQLite with group
// commit, directory on), no HTTP. Prints lines bench/run.sh reads:
//   grain <signon|list|storage> <calls/s> <p50 ms> <p99 ms> <max ms> <errors>   32 callers for SECONDS each
//   rows <head bytes> <session bytes> <event bytes>
// "storage" is the ceiling of the sign-on: the grain storage's SQLite store committing the rows the sign-ons wrote, of
// their sizes (the user's head, its new session, the evicted session's delete, the event with a ULID as the service
// makes them), same group commit and settings, no Orleans.
//   risk <sign-ons/s evaluated> <sign-ons/s not evaluated> <ratio>   docs/risk.md's evaluation on and off, same run
//   memory <bytes per session> <sessions> <resident MiB before> <resident MiB after> <GC heap MiB after>
// The memory figure: USERS users signed on PER_USER times each, then a full compacting GC; the resident set's growth
// over the sessions, directory included.
// Usage: GrainBench [seconds=10] [users=100000] [perUser=10]
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Data.Sqlite;
using Orleans.Sessions.Events;
using Orleans.Sessions.Hosting;
using Orleans.Sessions.Storage;
using Orleans.Sessions.Users;

var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
var users = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
var perUser = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10;
const int Callers = 32;
var dataDirectory = Directory.CreateTempSubdirectory("orleans-sessions-grain-bench-").FullName;

var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Sessions:DataDirectory"] = dataDirectory });
var storeOptions = new SqliteStateStoreOptions();
builder.Configuration.GetSection("Sessions:Sqlite").Bind(storeOptions); // The ceiling's store is set up as the service's.
builder.UseOrleans(silo =>
{
    silo.UseLocalhostClustering(FreePort(), FreePort());
    silo.AddSessions(builder.Configuration).AddSessionsSqliteStorage(builder.Configuration);
});
using var host = builder.Build();
await host.StartAsync();
var grains = host.Services.GetRequiredService<IGrainFactory>();

var device = new DeviceInfo(
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    new BrowserInfo("Chrome", "131.0.0.0", "131"), new OsInfo("Linux", null), "desktop", null, null, "bench");

// Each command with strings of its own, as a request's JSON makes them: shared instances would understate the memory.
// Each user signs on from an address of its own, with one of 50 browser versions.
SignOnCommand Command(int user) => new()
{
    Ip = FormattableString.Invariant($"10.{(user >> 16) & 255}.{(user >> 8) & 255}.{user & 255}"),
    Device = device with
    {
        UserAgent = device.UserAgent!.Replace("131.0.0.0", FormattableString.Invariant($"{100 + (user % 50)}.0.0.0"), StringComparison.Ordinal),
        Browser = new BrowserInfo(new string("Chrome"), FormattableString.Invariant($"{100 + (user % 50)}.0.0.0"), FormattableString.Invariant($"{100 + (user % 50)}")),
        Os = new OsInfo(new string("Linux"), null),
        Type = new string("desktop"),
        Hash = FormattableString.Invariant($"{user:x32}"), // Tenant, user and device: each user's own.
    },
    AuthMethod = new string("password"),
    ClientId = new string("web"),
};

async Task<bool> SignOn(string prefix, int user) =>
    (await grains.UserSessions("bench", $"{prefix}{user}").SignOnAsync(Command(user), SessionScope.All)).Error == SessionError.None;
// Risk on and off in the same run: two tenants, one whose policy turns the evaluation off. Sign-ons come with places
// (the GeoIP test database's cities) and networks; one in 20 from another city than the user's own, which raises signals.
Place[] cities =
[
    new("London", "England", "United Kingdom", "GB", 51.5142, -0.0931) { Network = new NetworkInfo { Asn = 2856, Anonymous = false, Hosting = false } },
    new("Linköping", "Östergötland County", "Sweden", "SE", 58.4167, 15.6167) { Network = new NetworkInfo { Asn = 29518, Anonymous = false, Hosting = false } },
    new("Milton", "Washington", "United States", "US", 47.2513, -122.3149) { Network = new NetworkInfo { Asn = 209, Anonymous = false, Hosting = false } },
    new("Changchun", "Jilin Sheng", "China", "CN", 43.88, 125.3228) { Network = new NetworkInfo { Asn = 4837, Anonymous = false, Hosting = false } },
];
await grains.GetGrain<Orleans.Sessions.Policy.ITenantPolicyGrain>("bench-norisk").PutAsync(
    new Orleans.Sessions.Policy.TenantPolicy { Risk = new Orleans.Sessions.Policy.RiskPolicy { Enabled = false } }, null, "bench");
async Task<bool> SignOnWithPlace(string tenant, int user, int n) =>
    (await grains.UserSessions(tenant, $"r-u{user}").SignOnAsync(
        Command(user) with { Place = cities[(user + (n % 20 == 0 ? 1 : 0)) % cities.Length] }, SessionScope.All)).Error == SessionError.None;

async Task<bool> List(string user) => (await grains.UserSessions("bench", user).ListAsync(new SessionQuery(), SessionScope.All)).Items.Length > 0;

await Measure("warm-up", 3, (_, n) => SignOn("g-u", n % 10_000), print: false);
await Measure("signon", seconds, (_, n) => SignOn("g-u", n % 10_000));
await Measure("list", seconds, (_, n) => List($"g-u{n % 10_000}"));
var withRisk = new List<double>();
var withoutRisk = new List<double>();
await Measure("warm-up", 2, (_, n) => SignOnWithPlace("bench-risk", n % 10_000, n), print: false);
await Measure("warm-up", 2, (_, n) => SignOnWithPlace("bench-norisk", n % 10_000, n), print: false);
for (var round = 0; round < 2; round++)
{
    withRisk.Add(await Measure("signon-risk", seconds, (_, n) => SignOnWithPlace("bench-risk", n % 10_000, n)));
    withoutRisk.Add(await Measure("signon-norisk", seconds, (_, n) => SignOnWithPlace("bench-norisk", n % 10_000, n)));
}

Console.WriteLine(FormattableString.Invariant($"risk {withRisk.Average():F0} {withoutRisk.Average():F0} {withRisk.Sum() / withoutRisk.Sum():F2}"));
var (headBytes, sessionBytes, eventBytes) = RowSizes(Path.Combine(dataDirectory, "sessions.db"));

// Memory: sessions of users the throughput runs did not touch.
var before = Resident();
var next = -1;
await Task.WhenAll(Enumerable.Range(0, Callers).Select(async _ =>
{
    for (var n = Interlocked.Increment(ref next); n < users * perUser; n = Interlocked.Increment(ref next))
    {
        await SignOn("m-u", n % users);
    }
}));
var after = Resident();
Console.WriteLine(FormattableString.Invariant(
    $"memory {(after - before) / (double)(users * perUser):F0} {users * perUser} {before / 1048576.0:F0} {after / 1048576.0:F0} {GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0:F0}"));
await host.StopAsync();
Directory.Delete(dataDirectory, recursive: true);

// The storage ceiling: the grain storage's own SQLite store (same group commit, same settings) committing the rows a
// sign-on wrote above — the user's head, the new session's row, the delete of the session a full ring drops, and the
// event — with no Orleans, 32 writers on keys of their own.
var storeDirectory = Directory.CreateTempSubdirectory("orleans-sessions-store-bench-").FullName;
storeOptions.DataDirectory = storeDirectory;
using (var store = new SqliteStateStore(storeOptions))
{
    var head = new byte[headBytes];
    var session = new byte[sessionBytes];
    var eventPayload = new byte[eventBytes];
    var versions = new long?[10_000];
    var signOns = new int[10_000];
    await Measure("storage", seconds, async (caller, n) =>
    {
        // 10,000 users as the sign-ons above, each caller on keys of its own (it awaits one write before the next).
        var key = caller + (Callers * (n % (10_000 / Callers)));
        var part = signOns[key]++;
        var row = new EventRow(Ulid.NewUlid().ToString(), "bench", $"u{key}", "s", "session.created", DateTimeOffset.UtcNow, eventPayload);
        var parts = new PartsDelta([new StatePart(PartKey(part), session)], false, part >= perUser ? PartKey(part - perUser + 1) : null, () => { });
        versions[key] = await store.WriteAsync($"bench|u{key}", head, versions[key], [row], parts);
        return true;
    });
    Console.WriteLine(FormattableString.Invariant($"rows {headBytes} {sessionBytes} {eventBytes}"));
}

static string PartKey(int n) => n.ToString("D10", CultureInfo.InvariantCulture);

Directory.Delete(storeDirectory, recursive: true);

// Runs the calls for <paramref name="duration"/> seconds from 32 callers; prints the figures and answers calls/s.
async Task<double> Measure(string name, int duration, Func<int, int, Task<bool>> call, bool print = true)
{
    var latencies = new List<double>[Callers];
    var errors = 0;
    var counter = -1;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, Callers).Select(async caller =>
    {
        var own = latencies[caller] = [];
        while (clock.Elapsed.TotalSeconds < duration)
        {
            var started = Stopwatch.GetTimestamp();
            if (!await call(caller, Interlocked.Increment(ref counter)))
            {
                Interlocked.Increment(ref errors);
            }

            own.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }));
    var all = latencies.SelectMany(l => l).Order().ToArray();
    if (print)
    {
        Console.WriteLine(FormattableString.Invariant(
            $"grain {name} {all.Length / clock.Elapsed.TotalSeconds:F0} {all[all.Length / 2]:F2} {all[(int)(all.Length * 0.99)]:F2} {all[^1]:F2} {errors}"));
    }

    return all.Length / clock.Elapsed.TotalSeconds;
}

// The average sizes of the rows the grain sign-ons stored: user heads, sessions, events.
static (int Head, int Session, int Event) RowSizes(string database)
{
    using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly }.ToString());
    connection.Open();
    using var command = connection.CreateCommand();
    command.CommandText = """
        SELECT (SELECT avg(length(payload)) FROM grain_state WHERE state_key LIKE '%g-u%'),
               (SELECT avg(length(payload)) FROM grain_state_parts WHERE state_key LIKE '%g-u%'),
               (SELECT avg(length(payload)) FROM session_events)
        """;
    using var reader = command.ExecuteReader();
    reader.Read();
    return ((int)reader.GetDouble(0), (int)reader.GetDouble(1), (int)reader.GetDouble(2));
}

static long Resident()
{
    GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    return Environment.WorkingSet;
}

static int FreePort()
{
    using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
    listener.Start();
    return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
}
