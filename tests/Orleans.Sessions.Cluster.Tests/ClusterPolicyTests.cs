using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orleans.Sessions.Cluster.Tests;

/// <summary>
/// A tenant policy change on two silo processes (PostgreSQL): each silo serves its copy of the policy for
/// <c>Sessions:PolicyRefreshInterval</c> (docs/policy.md, "When a change applies"), so every sign-on that starts later
/// than that after the change was acknowledged — on either silo — has the new policy; and a change naming a version that
/// is no longer current is refused 412 on any silo.
/// </summary>
public sealed class ClusterPolicyTests : HostsOnDatabaseTest
{
    private const string Tenant = "policy";
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_policy_change_reaches_every_sign_on_on_every_silo_that_starts_a_refresh_interval_after_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:Postgres"] = Database.ConnectionString,
            ["Orleans:ClusterId"] = "policy-" + Guid.NewGuid().ToString("N")[..8],
            ["Orleans:AdvertisedIPAddress"] = "127.0.0.1",
            ["Sessions:Postgres:MaxPoolSize"] = "8",
            ["Sessions:PolicyRefreshInterval"] = "00:00:02",
        };
        for (var i = 0; i < 2; i++)
        {
            await StartAsync(HostProcess.StartSiloAsync(settings, "Cluster", ct));
        }

        var clients = Hosts.Select(h => h.CreateClient(TimeSpan.FromSeconds(30))).ToArray();

        // Each silo reads the policy there is (none: configuration's 24 h), and keeps that copy.
        for (var i = 0; i < clients.Length; i++)
        {
            Assert.Equal(TimeSpan.FromHours(24), await SignOnLifetimeAsync(clients[i], $"warm-{i}"));
        }

        using (var put = await clients[0].PutAsJsonAsync($"/v1/tenants/{Tenant}/policy", new { expiresIn = 3600 }, ct))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            Assert.Equal("\"1\"", put.Headers.ETag?.ToString());
        }

        var sinceAcknowledged = Stopwatch.StartNew();

        // Through both silos at once, each sign-on a new user's (so the user grains, which apply the policy, are placed on
        // every silo): sign-ons until 20 have started a refresh interval after the acknowledgement. Before that a sign-on
        // may have either lifetime; from then on only the new one.
        var probes = await Task.WhenAll(clients.Select(async (client, i) =>
        {
            var (old, late) = (0, 0);
            for (var n = 0; late < 20; n++)
            {
                var started = sinceAcknowledged.Elapsed;
                Assert.True(started < RefreshInterval + TimeSpan.FromSeconds(60), $"through silo {i}: waiting for sign-ons that started after the refresh interval");
                var lifetime = await SignOnLifetimeAsync(client, $"probe-{i}-{n}");
                if (lifetime != TimeSpan.FromHours(1))
                {
                    Assert.True(started < RefreshInterval, $"through silo {i}: a sign-on that started {started.TotalMilliseconds:F0} ms after the change had the old policy");
                    old++;
                }
                else if (started > RefreshInterval)
                {
                    late++;
                }
            }

            return (Old: old, Sent: late);
        }));

        // A change naming the version read before is refused on the other silo too; the policy stays as it was.
        using (var request = new HttpRequestMessage(HttpMethod.Put, $"/v1/tenants/{Tenant}/policy") { Content = JsonContent.Create(new { expiresIn = 60 }) })
        {
            request.Headers.TryAddWithoutValidation("If-Match", "\"0\"");
            using var stale = await clients[1].SendAsync(request, ct);
            Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        }

        var policy = await clients[1].GetFromJsonAsync<JsonElement>($"/v1/tenants/{Tenant}/policy", ct);
        Assert.Equal((1, 3600), (policy.GetProperty("version").GetInt64(), policy.GetProperty("expiresIn").GetInt64()));
        TestContext.Current.TestOutputHelper!.WriteLine(
            $"sign-ons with the old policy within the refresh interval ({RefreshInterval.TotalSeconds} s): {string.Join(", ", probes.Select((p, i) => $"through silo {i} {p.Old}"))}; none after it");
    }

    private static async Task<TimeSpan> SignOnLifetimeAsync(HttpClient client, string user)
    {
        using var response = await client.PostAsJsonAsync(
            $"/v1/tenants/{Tenant}/users/{user}/sessions", new { ip = "203.0.113.71", userAgent = "policy-test", authMethod = "password" });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"sign-on of {user}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var session = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("session");
        return session.GetProperty("expiresAt").GetDateTimeOffset() - session.GetProperty("createdAt").GetDateTimeOffset();
    }
}
