using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Cluster.Tests;

/// <summary>The directory lives in memory and is rebuilt from storage: a restart, even with another shard count, keeps list-all whole.</summary>
public sealed class DirectoryRestartTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task List_all_is_rebuilt_after_a_restart_with_a_different_shard_count()
    {
        var ct = TestContext.Current.CancellationToken;
        var ids = new HashSet<string>();
        await using (var silo = await HostProcess.StartAsync(Settings(shards: 8), ct))
        {
            using var client = silo.CreateClient();
            for (var i = 0; i < 20; i++)
            {
                using var response = await client.PostAsJsonAsync(
                    $"/v1/tenants/restart/users/user{i}/sessions", new { ip = "203.0.113.3", userAgent = "restart-test", authMethod = "password" }, ct);
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("session").GetProperty("id").GetString()!);
            }

            await WaitForListAllAsync(silo, client, ids, ct);
            await silo.StopAsync(ct);
        }

        await using var restarted = await HostProcess.StartAsync(Settings(shards: 3), ct);
        using var reader = restarted.CreateClient();
        await WaitForListAllAsync(restarted, reader, ids, ct);
    }

    private Dictionary<string, string> Settings(int shards) => new()
    {
        ["Sessions:DataDirectory"] = _data.Path,
        ["Sessions:DirectoryShards"] = shards.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Orleans:ClusterId"] = "directory-" + Guid.NewGuid().ToString("N")[..8],
    };

    private static Task WaitForListAllAsync(HostProcess host, HttpClient client, HashSet<string> expected, CancellationToken ct) =>
        HostProcess.WaitShowingOutputAsync(
            $"list-all on {host.Name} to show exactly the {expected.Count} sessions signed on",
            async () =>
            {
                var body = await client.GetFromJsonAsync<JsonElement>("/v1/tenants/restart/sessions?limit=100", ct);
                return body.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetString()!).ToHashSet().SetEquals(expected)
                    && body.GetProperty("total").GetInt32() == expected.Count;
            },
            TimeSpan.FromSeconds(30),
            host);
}
