using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Cluster.Tests;

/// <summary>
/// The embedded default keeps every acknowledged sign-on and its event through a SIGKILL of its process, and a feed
/// consumer resumes from the position it had before the kill without missing or repeating an event.
/// </summary>
public sealed class SingleNodeDurabilityTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Acknowledged_sign_ons_survive_a_kill_of_the_silo_process()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = new Dictionary<string, string>
        {
            ["Sessions:DataDirectory"] = _data.Path,
            ["Orleans:ClusterId"] = "kill-" + Guid.NewGuid().ToString("N")[..8],
        };
        var acknowledged = new ConcurrentBag<(string User, string SessionId)>();
        string cursor;
        string before;

        await using (var silo = await HostProcess.StartAsync(settings, ct))
        {
            using var client = silo.CreateClient();

            // A consumer reads the feed up to here before the load, and keeps its position.
            using (var first = await client.PostAsJsonAsync("/v1/tenants/kill/users/consumer/sessions", new { ip = "203.0.113.9", userAgent = "durability-test", authMethod = "password" }, ct))
            {
                before = (await first.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("session").GetProperty("id").GetString()!;
            }

            var (seen, next) = await EventFeedReader.ReadAllAsync(client, "kill");
            Assert.Equal([("session.created", before)], seen.Select(EventFeedReader.Key));
            cursor = next;

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var load = Enumerable.Range(0, 16).Select(worker => Task.Run(
                async () =>
                {
                    for (var i = 0; !stop.IsCancellationRequested; i++)
                    {
                        // At most 9 sign-ons per user, so a sign-on stored but never acknowledged cannot make
                        // the ring of 10 evict an acknowledged one.
                        var user = $"user-{worker}-{i / 9}";
                        try
                        {
                            using var response = await client.PostAsJsonAsync(
                                $"/v1/tenants/kill/users/{user}/sessions",
                                new { ip = "203.0.113.9", userAgent = "durability-test", authMethod = "password" },
                                stop.Token);
                            if (response.StatusCode == HttpStatusCode.Created)
                            {
                                var body = await response.Content.ReadFromJsonAsync<JsonElement>(stop.Token);
                                acknowledged.Add((user, body.GetProperty("session").GetProperty("id").GetString()!));
                            }
                        }
                        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
                        {
                            // The silo is being killed: this sign-on was never acknowledged.
                        }
                    }
                },
                CancellationToken.None)).ToArray();

            await HostProcess.WaitShowingOutputAsync("400 acknowledged sign-ons", () => Task.FromResult(acknowledged.Count >= 400), TimeSpan.FromSeconds(60), silo);

            // Kill while requests are still in flight, then stop the load.
            silo.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(load);
        }

        await using var restarted = await HostProcess.StartAsync(settings, ct);
        using var reader = restarted.CreateClient();
        var missing = new List<string>();
        foreach (var group in acknowledged.GroupBy(a => a.User))
        {
            var listed = await reader.GetFromJsonAsync<JsonElement>($"/v1/tenants/kill/users/{group.Key}/sessions?limit=100", ct);
            var ids = listed.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetString()).ToHashSet();
            missing.AddRange(group.Where(a => !ids.Contains(a.SessionId)).Select(a => $"{group.Key}/{a.SessionId}"));
        }

        Assert.True(missing.Count == 0, $"{missing.Count} of {acknowledged.Count} acknowledged sign-ons were lost: {string.Join(", ", missing.Take(10))}");

        // Resumed from its position: every acknowledged sign-on's event, each once, and nothing it had already read.
        var (read, end) = await EventFeedReader.ReadAllAsync(reader, "kill", cursor);
        var resumed = read.Select(EventFeedReader.Key).ToList();
        Assert.DoesNotContain(("session.created", before), resumed);
        Assert.Equal(resumed.Count, resumed.Distinct().Count());
        var lost = acknowledged.Where(a => !resumed.Contains(("session.created", a.SessionId))).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} session.created events were lost");
        Assert.Empty((await EventFeedReader.ReadAllAsync(reader, "kill", end)).Events);
    }
}
