using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Orleans.Sessions.Api.Tests.Hosting;

/// <summary>
/// The probes of the embedded single node (docs/operations.md, "Health"), on a host of the class's own: liveness runs no
/// check, readiness names the silo's place in its cluster and its SQLite storage, <c>/healthz</c> is readiness, and
/// a storage that stops answering makes the host not ready until it answers again — by itself.
/// </summary>
public sealed class HealthTests(OwnClockApiFactory factory) : IClassFixture<OwnClockApiFactory>
{
    [Fact]
    public async Task Liveness_answers_anonymously_and_runs_no_check()
    {
        var (status, body) = await GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Empty(body.GetProperty("entries").EnumerateObject());
    }

    [Theory]
    [InlineData("/health/ready")]
    [InlineData("/healthz")]
    public async Task Readiness_names_the_cluster_and_storage_checks(string path)
    {
        using var response = await factory.CreateAnonymousClient().GetAsync(path, TestContext.Current.CancellationToken);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore, "probes are never cached");
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        var entries = body.GetProperty("entries");
        Assert.Equal(["cluster", "storage"], entries.EnumerateObject().Select(e => e.Name).Order());
        foreach (var entry in entries.EnumerateObject())
        {
            Assert.Equal("Healthy", entry.Value.GetProperty("status").GetString());
            Assert.False(string.IsNullOrEmpty(entry.Value.GetProperty("description").GetString()));
            Assert.Equal(["ready"], entry.Value.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        }
    }

    [Fact]
    public async Task A_storage_that_cannot_commit_makes_the_host_not_ready_until_it_can_again()
    {
        var api = new ApiClient(factory.CreateClient());
        await api.SignOnAsync(); // The storage has its table and a row.

        await using var outside = new SqliteConnection($"Data Source={Path.Combine(factory.DataDirectory, "sessions.db")};Pooling=false");
        await outside.OpenAsync(TestContext.Current.CancellationToken);
        await ExecuteAsync(outside, "ALTER TABLE grain_state RENAME TO grain_state_away");
        try
        {
            var (refused, _) = await api.PostAsync(api.Sessions, ApiClient.SignOnBody());
            Assert.NotEqual(HttpStatusCode.Created, refused);

            var (status, body) = await GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("Unhealthy", body.GetProperty("status").GetString());
            var storage = body.GetProperty("entries").GetProperty("storage");
            Assert.Equal("Unhealthy", storage.GetProperty("status").GetString());
            Assert.DoesNotContain(factory.DataDirectory, body.GetRawText(), StringComparison.Ordinal);
            Assert.Equal("Healthy", body.GetProperty("entries").GetProperty("cluster").GetProperty("status").GetString());
            Assert.Equal(HttpStatusCode.OK, (await GetAsync("/health/live")).Status);
        }
        finally
        {
            await ExecuteAsync(outside, "ALTER TABLE grain_state_away RENAME TO grain_state");
        }

        // No write has to come first: readiness probes the writer itself.
        var (recovered, recoveredBody) = await GetAsync("/health/ready");
        Assert.True(recovered == HttpStatusCode.OK, recoveredBody.GetRawText());
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync(api.Sessions, ApiClient.SignOnBody())).Status);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path)
    {
        using var response = await factory.CreateAnonymousClient().GetAsync(path, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
