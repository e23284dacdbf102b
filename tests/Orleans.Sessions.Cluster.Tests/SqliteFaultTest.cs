using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Cluster.Tests;

/// <summary>
/// The embedded node when its SQLite files cannot be written (docs/operations.md, "Health"), one scenario for each fault
/// a subclass brings: its data directory on a file system the test mounts (so the test runs as root, as CI does), 50
/// sign-ons acknowledged, then the fault. Sign-ons are refused with 503 quickly and readiness goes red; once the fault
/// is cleared the node writes again and is ready by itself; the file passes SQLite's integrity check, and a new node on
/// it has every acknowledged sign-on.
/// </summary>
public abstract class SqliteFaultTest : IAsyncLifetime
{
    private static readonly TimeSpan RefusalBound = TimeSpan.FromSeconds(5);

    /// <summary>Where the file system is mounted; the node's data directory is <c>data</c> in it.</summary>
    protected TempDirectory Mount { get; } = new();

    /// <summary>What the fault is, for messages.</summary>
    protected abstract string Fault { get; }

    /// <summary>Mounts the file system the node will write on at <see cref="Mount"/>.</summary>
    protected abstract Task MountAsync();

    /// <summary>Makes the node's files in <paramref name="data"/> unwritable.</summary>
    protected abstract Task BreakAsync(string data);

    /// <summary>Makes them writable again.</summary>
    protected abstract Task RepairAsync(string data);

    public async ValueTask InitializeAsync() => await MountAsync();

    public virtual async ValueTask DisposeAsync()
    {
        await Commands.RunAsync("umount", ["-l", Mount.Path], TimeSpan.FromSeconds(30));
        Mount.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Runs a command the fault needs and fails the test, saying why, when it does not succeed.</summary>
    protected static async Task RunAsync(string file, string[] arguments, string purpose)
    {
        var (exitCode, output, errors) = await Commands.RunAsync(file, arguments, TimeSpan.FromSeconds(30));
        Assert.True(exitCode == 0, $"{purpose}: `{file} {string.Join(' ', arguments)}` failed ({(output + errors).Trim()}); this test needs root, as CI runs.");
    }

    protected async Task SignOnsAreRefusedQuicklyAndNothingIsLostOrCorruptAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var data = Path.Combine(Mount.Path, "data");
        var settings = new Dictionary<string, string>
        {
            ["Sessions:DataDirectory"] = data,
            ["Orleans:ClusterId"] = "fault-" + Guid.NewGuid().ToString("N")[..8],
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

            // SQLite may still commit into room its files already have: sign-ons go on until one is refused.
            await BreakAsync(data);
            await HostProcess.WaitShowingOutputAsync($"a sign-on refused with 503 on {Fault}", async () =>
            {
                var (status, took) = await SignOnAsync(client, n++, acknowledged);
                Assert.True(status is HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable, $"a sign-on on {Fault} answered {(int)status}");
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

            // The fault is cleared: the node writes again and is ready, by itself.
            await RepairAsync(data);
            var repaired = Stopwatch.StartNew();
            await HostProcess.WaitShowingOutputAsync($"a sign-on acknowledged once {Fault} was cleared", async () =>
                (await SignOnAsync(client, n++, acknowledged)).Status == HttpStatusCode.Created, TimeSpan.FromSeconds(60), silo);
            recovered = repaired.Elapsed;
            await HostProcess.WaitShowingOutputAsync($"readiness once {Fault} was cleared", async () =>
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
                var page = await client.GetFromJsonAsync<JsonElement>($"/v1/tenants/fault/users/{user}/sessions", ct);
                if (!page.GetProperty("items").EnumerateArray().Any(s => s.GetProperty("id").GetString() == sessionId))
                {
                    missing.Add($"{user}/{sessionId}");
                }
            }

            Assert.True(missing.Count == 0, $"{missing.Count} of {acknowledged.Count} acknowledged sign-ons are missing: {string.Join(", ", missing.Take(5))}");
        }

        Assert.True(refusals.Max() < RefusalBound, $"a refusal on {Fault} took {refusals.Max().TotalSeconds:F1} s");
        TestContext.Current.TestOutputHelper!.WriteLine(
            $"{acknowledged.Count} acknowledged of {n} sign-ons; on {Fault} {refusals.Count} refused with 503, the slowest in "
            + $"{refusals.Max().TotalMilliseconds:F0} ms; acknowledged again {recovered.TotalSeconds:F2} s after it was cleared; integrity_check ok");
    }

    private static async Task<(HttpStatusCode Status, TimeSpan Took)> SignOnAsync(HttpClient client, int n, List<(string, string)> acknowledged)
    {
        var started = Stopwatch.StartNew();
        using var response = await client.PostAsJsonAsync(
            $"/v1/tenants/fault/users/user-{n}/sessions", new { ip = "203.0.113.80", userAgent = "fault-test", authMethod = "password" });
        if (response.StatusCode == HttpStatusCode.Created)
        {
            acknowledged.Add(($"user-{n}", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("session").GetProperty("id").GetString()!));
        }

        return (response.StatusCode, started.Elapsed);
    }
}
