using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Cluster.Tests;

/// <summary>
/// The embedded node on a full disk (docs/operations.md, "Health"): its data directory on a small file system the test
/// mounts (tmpfs, so the test runs as root, as CI does) and then fills. Sign-ons are refused with 503 quickly and
/// readiness goes red, nothing acknowledged is lost, the node writes again by itself once space returns, and the file
/// passes SQLite's integrity check afterwards.
/// </summary>
public sealed class SqliteDiskFullTests : IAsyncLifetime
{
    private static readonly TimeSpan RefusalBound = TimeSpan.FromSeconds(5);

    private readonly TempDirectory _mount = new();

    public async ValueTask InitializeAsync()
    {
        var (exitCode, output, errors) = await Commands.RunAsync("mount", ["-t", "tmpfs", "-o", "size=24m", "tmpfs", _mount.Path], TimeSpan.FromSeconds(30));
        Assert.True(exitCode == 0, $"mounting a 24 MB tmpfs at {_mount.Path} failed ({(output + errors).Trim()}): this test needs root, as CI runs.");
    }

    public async ValueTask DisposeAsync()
    {
        await Commands.RunAsync("umount", ["-l", _mount.Path], TimeSpan.FromSeconds(30));
        _mount.Dispose();
    }

    [Fact]
    public async Task Sign_ons_on_a_full_disk_are_quick_503s_and_the_node_recovers_with_nothing_lost_or_corrupt()
    {
        var ct = TestContext.Current.CancellationToken;
        var data = Path.Combine(_mount.Path, "data");
        var filler = Path.Combine(_mount.Path, "filler");
        var settings = new Dictionary<string, string>
        {
            ["Sessions:DataDirectory"] = data,
            ["Orleans:ClusterId"] = "disk-" + Guid.NewGuid().ToString("N")[..8],
        };
        var acknowledged = new List<(string User, string SessionId)>();
        var refusals = new List<TimeSpan>();
        var n = 0;
        TimeSpan recovered;

        await using (var silo = await HostProcess.StartAsync(settings, ct))
        {
            using var client = silo.CreateClient(TimeSpan.FromSeconds(30));
            for (; n < 50; n++)
            {
                Assert.Equal(HttpStatusCode.Created, (await SignOnAsync(client, n, acknowledged)).Status);
            }

            // Fill the file system. SQLite may still commit into room its files already have; new users' sign-ons go on
            // until one is refused.
            await FillAsync(filler);
            await HostProcess.WaitShowingOutputAsync("a sign-on refused with 503 on the full disk", async () =>
            {
                var (status, took) = await SignOnAsync(client, n++, acknowledged);
                Assert.True(status is HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable, $"a sign-on on the full disk answered {(int)status}");
                if (status == HttpStatusCode.ServiceUnavailable)
                {
                    refusals.Add(took);
                }

                return status == HttpStatusCode.ServiceUnavailable;
            }, TimeSpan.FromSeconds(60), silo);
            for (var i = 0; i < 10; i++)
            {
                var (status, took) = await SignOnAsync(client, n++, acknowledged);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
                refusals.Add(took);
            }

            using (var ready = await client.GetAsync("/health/ready", ct))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
                var storage = (await ready.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("entries").GetProperty("storage");
                Assert.Equal("Unhealthy", storage.GetProperty("status").GetString());
            }

            // Space returns: the node writes again and is ready, by itself.
            File.Delete(filler);
            var freed = Stopwatch.StartNew();
            await HostProcess.WaitShowingOutputAsync("a sign-on acknowledged once space returned", async () =>
                (await SignOnAsync(client, n++, acknowledged)).Status == HttpStatusCode.Created, TimeSpan.FromSeconds(60), silo);
            recovered = freed.Elapsed;
            await HostProcess.WaitShowingOutputAsync("readiness once space returned", async () =>
            {
                using var ready = await client.GetAsync("/health/ready", ct);
                return ready.StatusCode == HttpStatusCode.OK;
            }, TimeSpan.FromSeconds(60), silo);
        }

        // Nothing corrupt, nothing acknowledged lost (read by a new process on the same file).
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(data, "sessions.db")};Mode=ReadOnly;Pooling=False"))
        {
            await connection.OpenAsync(ct);
            await using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            Assert.Equal("ok", await check.ExecuteScalarAsync(ct));
        }

        await using (var silo = await HostProcess.StartAsync(settings, ct))
        {
            using var client = silo.CreateClient();
            var missing = new List<string>();
            foreach (var (user, sessionId) in acknowledged)
            {
                var page = await client.GetFromJsonAsync<JsonElement>($"/v1/tenants/disk/users/{user}/sessions", ct);
                if (!page.GetProperty("items").EnumerateArray().Any(s => s.GetProperty("id").GetString() == sessionId))
                {
                    missing.Add($"{user}/{sessionId}");
                }
            }

            Assert.True(missing.Count == 0, $"{missing.Count} of {acknowledged.Count} acknowledged sign-ons are missing: {string.Join(", ", missing.Take(5))}");
        }

        Assert.True(refusals.Max() < RefusalBound, $"a refusal on the full disk took {refusals.Max().TotalSeconds:F1} s");
        TestContext.Current.TestOutputHelper!.WriteLine(
            $"{acknowledged.Count} acknowledged of {n} sign-ons; on the full disk {refusals.Count} refused with 503, the slowest in "
            + $"{refusals.Max().TotalMilliseconds:F0} ms; acknowledged again {recovered.TotalSeconds:F2} s after space returned; integrity_check ok");
    }

    private static async Task<(HttpStatusCode Status, TimeSpan Took)> SignOnAsync(HttpClient client, int n, List<(string, string)> acknowledged)
    {
        var started = Stopwatch.StartNew();
        using var response = await client.PostAsJsonAsync(
            $"/v1/tenants/disk/users/user-{n}/sessions", new { ip = "203.0.113.80", userAgent = "disk-test", authMethod = "password" });
        if (response.StatusCode == HttpStatusCode.Created)
        {
            acknowledged.Add(($"user-{n}", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("session").GetProperty("id").GetString()!));
        }

        return (response.StatusCode, started.Elapsed);
    }

    /// <summary>Writes a file until the file system has no room left.</summary>
    private static async Task FillAsync(string path)
    {
        var chunk = new byte[64 * 1024];
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        try
        {
            while (true)
            {
                await file.WriteAsync(chunk);
            }
        }
        catch (IOException)
        {
            // ENOSPC: full.
        }
    }
}
