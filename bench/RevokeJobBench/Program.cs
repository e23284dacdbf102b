// Signs on USERS x 10 sessions through the user grains of one node (durable SQLite), a quarter of them of client
// "kiosk", then measures: the p50/p99 of sign-ons sent at RATE per second for 20 s with nothing else running (the
// ceiling, same run, same machine), the same while a revoke-by-query job ends every kiosk session, and the job's
// throughput (sessions ended per second, start to completion). During the job, sign-ons go on until it completes.
// Usage: RevokeJobBench [users=100000] [rate=200]
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using Orleans.Sessions.Api;
using Orleans.Sessions.Hosting;
using Orleans.Sessions.Users;

var users = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var rate = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
const int SessionsPerUser = 10;
const string Tenant = "bench";
const string BootstrapKey = "bench-bootstrap-key-0001";
var measure = TimeSpan.FromSeconds(20);
var dataDirectory = Directory.CreateTempSubdirectory("orleans-sessions-revoke-job-bench-").FullName;
var httpPort = FreePort();

var builder = WebApplication.CreateBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Sessions:DataDirectory"] = dataDirectory,
    ["Sessions:DirectoryReconcileInterval"] = "7.00:00:00",
    ["Sessions:MaxSessionsPerUser"] = "20",
    ["Sessions:Auth:BootstrapKey"] = BootstrapKey,
    ["Sessions:Dashboard:Enabled"] = "false",
});
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
using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromMinutes(5) };
http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", BootstrapKey);

var device = new DeviceInfo("Mozilla/5.0 (bench)", new BrowserInfo("Chrome", "131.0", "131"), new OsInfo("Windows", "10"), "desktop", null, null, "hash");
SignOnCommand Command(string clientId) => new() { Ip = "203.0.113.90", Device = device, AuthMethod = "password", ClientId = clientId };

var load = Stopwatch.StartNew();
var next = -1;
await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(async () =>
{
    for (var u = Interlocked.Increment(ref next); u < users; u = Interlocked.Increment(ref next))
    {
        var user = grains.UserSessions(Tenant, $"user-{u:D6}");
        for (var k = 0; k < SessionsPerUser; k++)
        {
            var result = await user.SignOnAsync(Command(k % 4 == 0 ? "kiosk" : "web"), SessionScope.All);
            if (result.Error != SessionError.None)
            {
                throw new InvalidOperationException($"sign-on refused: {result.Error}");
            }
        }
    }
})));
var kiosk = users * ((SessionsPerUser + 3) / 4);
while (await CountAsync("clientId=kiosk") < kiosk)
{
    await Task.Delay(200);
}

Console.WriteLine($"signed on {users * SessionsPerUser:N0} sessions ({users:N0} users x {SessionsPerUser}, {kiosk:N0} kiosk) in {load.Elapsed.TotalSeconds:F1} s");

var alone = await SignOnLatenciesAsync("alone", i => i < measure.TotalSeconds * rate);
var (dryStatus, dry) = await PostAsync("/v1/tenants/bench/sessions/revoke?clientId=kiosk", new { reason = "bench", dryRun = true });
var (_, job) = await PostAsync("/v1/tenants/bench/sessions/revoke?clientId=kiosk", new { reason = "bench", confirmation = dry.GetProperty("confirmation").GetString() });
var jobId = job.GetProperty("id").GetString();
var started = Stopwatch.StartNew();
JsonElement final = default;
var running = true;
var watching = Task.Run(async () =>
{
    while (running)
    {
        final = await http.GetFromJsonAsync<JsonElement>($"/v1/tenants/bench/jobs/{jobId}");
        running = final.GetProperty("status").GetString() == "running";
        await Task.Delay(100);
    }
});
var during = await SignOnLatenciesAsync("during", _ => running);
await watching;

var jobSeconds = (final.GetProperty("finishedAt").GetDateTimeOffset() - final.GetProperty("startedAt").GetDateTimeOffset()).TotalSeconds;
var ended = final.GetProperty("ended").GetInt64();
Console.WriteLine($"dry run {dryStatus}: {dry.GetProperty("matched").GetInt64():N0} matched");
Console.WriteLine($"job: {ended:N0} ended, {final.GetProperty("skipped").GetInt64():N0} skipped, {final.GetProperty("failed").GetInt64():N0} failed in {jobSeconds:F1} s = {ended / jobSeconds:N0} sessions/s (measured by the bench: {started.Elapsed.TotalSeconds:F1} s from its start to seeing it completed)");
Console.WriteLine($"sign-ons at {rate}/s: alone p50 {alone.P50:F1} ms p99 {alone.P99:F1} ms; during the job p50 {during.P50:F1} ms p99 {during.P99:F1} ms; p99 ratio {during.P99 / alone.P99:F2}");

await app.StopAsync();
Directory.Delete(dataDirectory, recursive: true);
return;

// Open loop: a sign-on every 1/rate s — for the measuring time alone, for as long as the job runs during it — each timed
// from when it was due, of users of their own.
async Task<(double P50, double P99)> SignOnLatenciesAsync(string phase, Func<int, bool> keepGoing)
{
    var latencies = new ConcurrentBag<double>();
    var clock = Stopwatch.StartNew();
    var sent = new List<Task>();
    for (var i = 0; keepGoing(i); i++)
    {
        var due = TimeSpan.FromSeconds((double)i / rate);
        var wait = due - clock.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        var user = grains.UserSessions(Tenant, $"{phase}-{i}");
        sent.Add(Task.Run(async () =>
        {
            await user.SignOnAsync(Command("web"), SessionScope.All);
            latencies.Add((clock.Elapsed - due).TotalMilliseconds);
        }));
    }

    await Task.WhenAll(sent);
    var sorted = latencies.Order().ToArray();
    return (Percentile(sorted, 0.50), Percentile(sorted, 0.99));
}

async Task<int> CountAsync(string filter) =>
    (await http.GetFromJsonAsync<JsonElement>($"/v1/tenants/bench/sessions/count?{filter}")).GetProperty("total").GetInt32();

async Task<(System.Net.HttpStatusCode, JsonElement)> PostAsync(string path, object body)
{
    using var response = await http.PostAsJsonAsync(path, body);
    var json = await response.Content.ReadFromJsonAsync<JsonElement>();
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {json}");
    }

    return (response.StatusCode, json);
}

static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

static int FreePort()
{
    using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
    listener.Start();
    return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
}
