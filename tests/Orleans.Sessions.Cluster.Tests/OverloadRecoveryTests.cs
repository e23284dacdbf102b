using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Cluster.Tests;

/// <summary>
/// The embedded node under far more concurrent requests than it takes (docs/operations.md, "Overload"): 1,000 clients
/// that each send their next request as soon as the last is answered, against a node that works on 64 at once and lets
/// 64 more wait. What it cannot take is refused at once with 503 and <c>Retry-After</c>, what it takes is answered in
/// bounded time, nothing else comes back, memory stays bounded, and when the load stops the node serves at its usual
/// speed again within seconds.
/// </summary>
public sealed class OverloadRecoveryTests
{
    private const int Clients = 1_000;
    private const int Concurrent = 64;
    private const int Queue = 64;
    private const int Users = 200;
    private static readonly TimeSpan Load = TimeSpan.FromSeconds(10);

    /// <summary>Generous bounds for a shared 2-core machine that also runs the 1,000 clients; the figures are printed.</summary>
    private static readonly TimeSpan AcceptedBound = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan RefusedBound = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(5);
    private const long PeakMemoryBound = 1_500L * 1024 * 1024;

    [Fact]
    public async Task A_thousand_clients_get_quick_refusals_and_bounded_answers_and_the_node_recovers_at_once()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var node = await HostProcess.StartAsync(new Dictionary<string, string>
        {
            ["Sessions:DataDirectory"] = data.Path,
            ["Orleans:ClusterId"] = "overload-" + Guid.NewGuid().ToString("N")[..8],
            ["Sessions:Overload:MaxConcurrentRequests"] = Concurrent.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Sessions:Overload:QueueLimit"] = Queue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, ct);
        using var client = node.CreateClient();
        for (var u = 0; u < Users; u++)
        {
            using var signedOn = await client.PostAsJsonAsync(Path(u), new { ip = "203.0.113.9", userAgent = "overload-test", authMethod = "password" }, ct);
            Assert.Equal(HttpStatusCode.Created, signedOn.StatusCode);
        }

        var baseline = await UsualLatencyAsync(client, ct);
        var residentBefore = Resident(node.ProcessId, "VmRSS");

        // 1,000 connections of their own, each a closed loop: 90 % lists, 10 % sign-ons (a durable write each).
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var load = new HttpClient(handler) { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        load.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", HostProcess.BootstrapKey);
        var results = new System.Collections.Concurrent.ConcurrentBag<(int Status, bool RetryAfter, double Ms)>();
        var stopAt = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async c =>
        {
            var random = new Random(c);
            while (stopAt.Elapsed < Load)
            {
                var user = random.Next(Users);
                using var request = random.Next(10) == 0
                    ? new HttpRequestMessage(HttpMethod.Post, Path(user)) { Content = JsonContent.Create(new { ip = "203.0.113.9", userAgent = "overload-test", authMethod = "password" }) }
                    : new HttpRequestMessage(HttpMethod.Get, Path(user));
                var sent = Stopwatch.GetTimestamp();
                using var response = await load.SendAsync(request, ct);
                await response.Content.ReadAsByteArrayAsync(ct);
                results.Add(((int)response.StatusCode, response.Headers.RetryAfter is not null, Stopwatch.GetElapsedTime(sent).TotalMilliseconds));
            }
        }));
        var loadSeconds = stopAt.Elapsed.TotalSeconds;

        // Recovery: from the moment the load is gone until ten requests in a row are answered at the usual speed.
        var recovering = Stopwatch.StartNew();
        var inARow = 0;
        while (inARow < 10)
        {
            var sent = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(Path(inARow), ct);
            var ok = response.StatusCode == HttpStatusCode.OK && Stopwatch.GetElapsedTime(sent) <= baseline * 4 + TimeSpan.FromMilliseconds(20);
            inARow = ok ? inARow + 1 : 0;
            Assert.True(recovering.Elapsed < RecoveryBound, $"the node did not serve at its usual speed ({baseline.TotalMilliseconds:0.0} ms) within {RecoveryBound.TotalSeconds} s of the load stopping");
        }

        var recovered = recovering.Elapsed;
        var peak = Resident(node.ProcessId, "VmHWM");
        var accepted = results.Where(r => r.Status is 200 or 201).Select(r => r.Ms).Order().ToList();
        var refused = results.Where(r => r.Status == 503).ToList();
        var others = results.Where(r => r.Status is not (200 or 201 or 503)).GroupBy(r => r.Status).Select(g => $"{g.Key}×{g.Count()}").ToList();
        var refusedMs = refused.Select(r => r.Ms).Order().ToList();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{Clients} clients for {loadSeconds:0.0} s against {Concurrent} at once + {Queue} waiting: {results.Count} answers, " +
            $"{accepted.Count / loadSeconds:0} accepted/s (p50 {Percentile(accepted, 0.5):0.0} ms, p99 {Percentile(accepted, 0.99):0.0} ms, max {accepted.LastOrDefault():0.0} ms), " +
            $"{refused.Count} refused = {100.0 * refused.Count / Math.Max(1, results.Count):0.0} % (p99 {Percentile(refusedMs, 0.99):0.0} ms); " +
            $"resident {residentBefore / 1048576.0:0} MB before, peak {peak / 1048576.0:0} MB; usual latency {baseline.TotalMilliseconds:0.0} ms, recovered in {recovered.TotalSeconds:0.00} s");

        Assert.True(others.Count == 0, $"answers other than 200/201/503: {string.Join(", ", others)}\n{node.Output[^Math.Min(node.Output.Length, 4000)..]}");
        Assert.NotEmpty(accepted);
        Assert.True(refused.Count > 0, "the load never went past the node's bound: the test did not overload it");
        Assert.All(refused, r => Assert.True(r.RetryAfter, "a 503 without Retry-After"));
        Assert.True(Percentile(refusedMs, 0.99) < RefusedBound.TotalMilliseconds, $"refusals were slow: p99 {Percentile(refusedMs, 0.99):0.0} ms");
        Assert.True(Percentile(accepted, 0.99) < AcceptedBound.TotalMilliseconds, $"accepted requests waited without bound: p99 {Percentile(accepted, 0.99):0.0} ms");
        Assert.True(peak < PeakMemoryBound, $"peak resident memory {peak / 1048576.0:0} MB");
    }

    private static string Path(int user) => $"/v1/tenants/overload/users/u{user}/sessions";

    /// <summary>The median latency of a list on the idle node.</summary>
    private static async Task<TimeSpan> UsualLatencyAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var times = new List<TimeSpan>();
        for (var i = 0; i < 50; i++)
        {
            var sent = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(Path(i), cancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            times.Add(Stopwatch.GetElapsedTime(sent));
        }

        return times.Order().ElementAt(times.Count / 2);
    }

    private static double Percentile(List<double> sorted, double share) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)(share * sorted.Count))];

    /// <summary>A memory figure of the process from /proc (VmRSS now, VmHWM its peak), in bytes.</summary>
    private static long Resident(int processId, string field) =>
        File.ReadLines($"/proc/{processId}/status").Where(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024)
            .Single();
}
