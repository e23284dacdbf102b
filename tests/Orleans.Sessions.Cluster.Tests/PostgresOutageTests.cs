using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Sessions.Storage.Postgres;

namespace Orleans.Sessions.Cluster.Tests;

/// <summary>
/// PostgreSQL stopped under load (docs/operations.md, "Health"): sign-ons are refused with 503 and Retry-After at once
/// instead of hanging, nothing a 201 acknowledged is lost, and the silo serves again by itself when the server returns.
/// </summary>
public sealed class PostgresOutageTests : IAsyncLifetime
{
    /// <summary>What "at once" means: far below a client's usual timeout, and below Orleans' own grain call timeout.</summary>
    private static readonly TimeSpan RefusalBound = TimeSpan.FromSeconds(5);

    private readonly PostgresServer _postgres = new();
    private HostProcess? _silo;

    public async ValueTask InitializeAsync()
    {
        await _postgres.InitializeAsync();
        await PostgresSchema.MigrateAsync(_postgres.ConnectionString, NullLogger.Instance, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task Sign_ons_while_PostgreSQL_is_down_are_quick_503s_and_no_acknowledged_one_is_lost()
    {
        var ct = TestContext.Current.CancellationToken;
        _silo = await HostProcess.StartSiloAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings:Postgres"] = _postgres.ConnectionString,
            ["Orleans:ClusterId"] = "outage-" + Guid.NewGuid().ToString("N")[..8],
            ["Orleans:AdvertisedIPAddress"] = "127.0.0.1",
            ["Sessions:Postgres:MaxPoolSize"] = "5",
        }, "Cluster", ct);

        var answers = new ConcurrentBag<Answer>();
        var clock = Stopwatch.StartNew();
        using var stopLoad = new CancellationTokenSource();
        var load = Enumerable.Range(0, 8).Select(worker => Task.Run(() => LoadAsync(worker, answers, clock, stopLoad.Token), CancellationToken.None)).ToArray();

        await Wait("100 acknowledged sign-ons before the stop", () => Task.FromResult(answers.Count(a => a.Id is not null) >= 100));
        await _postgres.StopAsync();
        var stoppedAt = clock.Elapsed;
        await Wait("50 sign-ons answered after PostgreSQL stopped", () => Task.FromResult(answers.Count(a => a.Sent > stoppedAt) >= 50));
        var startingAt = clock.Elapsed;
        await _postgres.StartAsync();
        var startedAt = clock.Elapsed;
        await Wait("20 acknowledged sign-ons sent after PostgreSQL started", () => Task.FromResult(answers.Count(a => a.Sent > startedAt && a.Id is not null) >= 20));
        var recovered = answers.Where(a => a.Sent > startingAt && a.Id is not null).Min(a => a.Sent + a.Took) - startingAt;
        await stopLoad.CancelAsync();
        await Task.WhenAll(load);

        // Acknowledged or refused with 503, never another status; while it was down, refused every time and never slowly.
        var during = answers.Where(a => a.Sent > stoppedAt && a.Sent + a.Took < startingAt).ToList();
        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable, $"{a.User}: {(int)a.Status}"));
        Assert.NotEmpty(during);
        Assert.All(during, a => Assert.Equal((HttpStatusCode.ServiceUnavailable, true), (a.Status, a.RetryAfter)));
        var slowest = during.Max(a => a.Took);
        Assert.True(slowest < RefusalBound, $"a sign-on while PostgreSQL was down took {slowest.TotalSeconds:F1} s");

        // Every acknowledged sign-on is there.
        var missing = new List<string>();
        using var client = _silo.CreateClient();
        foreach (var user in answers.Where(a => a.Id is not null).GroupBy(a => a.User))
        {
            var body = await client.GetFromJsonAsync<JsonElement>($"/v1/tenants/outage/users/{user.Key}/sessions?limit=100", ct);
            var listed = body.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetString()).ToHashSet();
            missing.AddRange(user.Where(a => !listed.Contains(a.Id)).Select(a => $"{a.User}/{a.Id}"));
        }

        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged sign-ons are missing: {string.Join(", ", missing.Take(5))}");
        TestContext.Current.TestOutputHelper!.WriteLine(
            $"{answers.Count} sign-ons, {answers.Count(a => a.Id is not null)} acknowledged; while PostgreSQL was down "
            + $"all {during.Count} refused with 503, the slowest in "
            + $"{slowest.TotalMilliseconds:F0} ms; the first sign-on acknowledged {recovered.TotalSeconds:F2} s after PostgreSQL was told to start");
    }

    private async Task LoadAsync(int worker, ConcurrentBag<Answer> answers, Stopwatch clock, CancellationToken stop)
    {
        using var client = _silo!.CreateClient(TimeSpan.FromSeconds(30));
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            // A user per sign-on: no ring fills, so every acknowledged session must still be listed at the end.
            var user = $"w{worker}-u{n}";
            var sent = clock.Elapsed;
            try
            {
                using var response = await client.PostAsJsonAsync(
                    $"/v1/tenants/outage/users/{user}/sessions", new { ip = "203.0.113.60", userAgent = "outage-test", authMethod = "password" }, CancellationToken.None);
                var id = response.StatusCode == HttpStatusCode.Created
                    ? (await response.Content.ReadFromJsonAsync<JsonElement>(CancellationToken.None)).GetProperty("session").GetProperty("id").GetString()
                    : null;
                answers.Add(new Answer(user, sent, clock.Elapsed - sent, response.StatusCode, id, response.Headers.RetryAfter is not null));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                answers.Add(new Answer(user, sent, clock.Elapsed - sent, 0, null, false)); // No answer within the client's 30 s: a hang.
            }
        }
    }

    private Task Wait(string step, Func<Task<bool>> condition) => HostProcess.WaitShowingOutputAsync(step, condition, TimeSpan.FromSeconds(60), _silo!);

    private sealed record Answer(string User, TimeSpan Sent, TimeSpan Took, HttpStatusCode Status, string? Id, bool RetryAfter);
}
