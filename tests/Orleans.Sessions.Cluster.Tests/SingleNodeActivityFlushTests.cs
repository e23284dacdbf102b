using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Cluster.Tests;

/// <summary>Coalesced activity reaches the disk on the flush interval and on graceful shutdown (docs/sessions.md, "Activity").</summary>
public sealed class SingleNodeActivityFlushTests : IDisposable
{
    private const string NewIp = "198.51.100.99";
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Activity_is_stored_on_graceful_shutdown()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = Settings(flushInterval: "01:00:00");
        await using var silo = await HostProcess.StartAsync(settings, ct);
        var path = await SignOnAndRecordActivityAsync(silo, ct);
        Assert.False(StoredRowsContain(NewIp), "activity was stored before the flush interval or shutdown");

        await silo.StopAsync(ct);

        Assert.True(StoredRowsContain(NewIp), $"activity was not stored on shutdown:\n{silo.Output}");
        await using var restarted = await HostProcess.StartAsync(settings, ct);
        using var client = restarted.CreateClient();
        var session = await client.GetFromJsonAsync<JsonElement>(path, ct);
        Assert.Equal(NewIp, session.GetProperty("locations")[0].GetProperty("ip").GetString());
    }

    [Fact]
    public async Task Activity_is_stored_within_the_flush_interval_without_shutdown()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var silo = await HostProcess.StartAsync(Settings(flushInterval: "00:00:00.500"), ct);
        await SignOnAndRecordActivityAsync(silo, ct);

        await HostProcess.WaitShowingOutputAsync(
            "the activity to be stored by the 0.5 s flush interval", () => Task.FromResult(StoredRowsContain(NewIp)), TimeSpan.FromSeconds(20), silo);
        silo.Kill();
    }

    private Dictionary<string, string> Settings(string flushInterval) => new()
    {
        ["Sessions:DataDirectory"] = _data.Path,
        ["Sessions:ActivityFlushInterval"] = flushInterval,
        ["Orleans:ClusterId"] = "flush-" + Guid.NewGuid().ToString("N")[..8],
    };

    private static async Task<string> SignOnAndRecordActivityAsync(HostProcess silo, CancellationToken ct)
    {
        using var client = silo.CreateClient();
        const string sessions = "/v1/tenants/flush/users/alice/sessions";
        using var signOn = await client.PostAsJsonAsync(sessions, new { ip = "203.0.113.1", userAgent = "flush-test", authMethod = "password" }, ct);
        Assert.Equal(HttpStatusCode.Created, signOn.StatusCode);
        var id = (await signOn.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("session").GetProperty("id").GetString();
        var path = $"{sessions}/{id}";
        using var activity = await client.PostAsJsonAsync($"{path}/activity", new { ip = NewIp }, ct);
        Assert.Equal(HttpStatusCode.Accepted, activity.StatusCode);
        return path;
    }

    /// <summary>Reads the database file directly, as a second process would (WAL allows it while the silo writes).</summary>
    private bool StoredRowsContain(string text)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_data.Path, "sessions.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        using var connection = new SqliteConnection(builder.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        // A user's sessions are stored as parts of its state (docs/operations.md, "Parts").
        command.CommandText = "SELECT (SELECT count(*) FROM grain_state WHERE instr(CAST(payload AS TEXT), $text) > 0) + (SELECT count(*) FROM grain_state_parts WHERE instr(CAST(payload AS TEXT), $text) > 0)";
        command.Parameters.AddWithValue("$text", text);
        return (long)command.ExecuteScalar()! > 0;
    }
}
