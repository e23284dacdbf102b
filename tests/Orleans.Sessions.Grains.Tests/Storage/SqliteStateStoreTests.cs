using System.Text;
using Orleans.Sessions.Storage;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Grains.Tests.Storage;

public sealed class SqliteStateStoreTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly SqliteStateStore _store;

    public SqliteStateStoreTests() => _store = Open();

    public void Dispose()
    {
        _store.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task A_written_row_reads_back_with_its_version()
    {
        Assert.Null(await _store.ReadAsync("k", Ct));

        var v1 = await _store.WriteAsync("k", Bytes("one"), expectedVersion: null);
        var v2 = await _store.WriteAsync("k", Bytes("two"), expectedVersion: v1);

        var row = await _store.ReadAsync("k", Ct);
        Assert.Equal((1L, 2L), (v1, v2));
        Assert.Equal(2, row!.Value.Version);
        Assert.Equal("two", Encoding.UTF8.GetString(row.Value.Payload!));
    }

    [Fact]
    public async Task A_stale_version_is_a_conflict_and_changes_nothing()
    {
        var v1 = await _store.WriteAsync("k", Bytes("one"), null);
        await _store.WriteAsync("k", Bytes("two"), v1);

        await Assert.ThrowsAsync<VersionConflictException>(() => _store.WriteAsync("k", Bytes("stale"), v1));
        await Assert.ThrowsAsync<VersionConflictException>(() => _store.WriteAsync("k", Bytes("new"), null));
        await Assert.ThrowsAsync<VersionConflictException>(() => _store.WriteAsync("absent", Bytes("x"), 7));

        Assert.Equal("two", Encoding.UTF8.GetString((await _store.ReadAsync("k", Ct))!.Value.Payload!));
        Assert.Null(await _store.ReadAsync("absent", Ct));
    }

    [Fact]
    public async Task A_conflict_does_not_fail_the_other_writes_of_its_batch()
    {
        var v1 = await _store.WriteAsync("contested", Bytes("one"), null);
        await _store.WriteAsync("contested", Bytes("two"), v1);

        var writes = Enumerable.Range(0, 200).Select(i => _store.WriteAsync($"ok-{i}", Bytes("x"), null)).ToList();
        var stale = _store.WriteAsync("contested", Bytes("stale"), v1);
        writes.AddRange(Enumerable.Range(200, 200).Select(i => _store.WriteAsync($"ok-{i}", Bytes("x"), null)));

        await Assert.ThrowsAsync<VersionConflictException>(() => stale);
        Assert.All(await Task.WhenAll(writes), v => Assert.Equal(1, v));
    }

    [Fact]
    public async Task Delete_checks_the_version_and_leaves_a_tombstone_so_versions_are_never_reused()
    {
        var v1 = await _store.WriteAsync("k", Bytes("one"), null);
        var v2 = await _store.WriteAsync("k", Bytes("two"), v1);

        await Assert.ThrowsAsync<VersionConflictException>(() => _store.DeleteAsync("k", v1));
        await Assert.ThrowsAsync<VersionConflictException>(() => _store.DeleteAsync("k", null));
        var tombstone = await _store.DeleteAsync("k", v2);
        Assert.Null(await _store.DeleteAsync("never-written", null));

        var row = await _store.ReadAsync("k", Ct);
        Assert.Equal(v2 + 1, tombstone);
        Assert.Equal((tombstone, (byte[]?)null), (row!.Value.Version, row.Value.Payload));
        await Assert.ThrowsAsync<VersionConflictException>(() => _store.WriteAsync("k", Bytes("stale"), v2));
        await Assert.ThrowsAsync<VersionConflictException>(() => _store.WriteAsync("k", Bytes("blind insert"), null));
        Assert.Equal(tombstone + 1, await _store.WriteAsync("k", Bytes("three"), tombstone));
    }

    [Fact]
    public async Task Concurrent_writers_share_commits_and_lose_nothing()
    {
        const int writers = 64;
        const int writesEach = 50;
        var commitsBefore = _store.Commits;

        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            long? version = null;
            for (var i = 0; i < writesEach; i++)
            {
                version = await _store.WriteAsync($"writer-{w}", Bytes($"{w}:{i}"), version);
            }
        }, Ct)));

        for (var w = 0; w < writers; w++)
        {
            var row = await _store.ReadAsync($"writer-{w}", Ct);
            Assert.Equal(writesEach, row!.Value.Version);
            Assert.Equal($"{w}:{writesEach - 1}", Encoding.UTF8.GetString(row.Value.Payload!));
        }

        var commits = _store.Commits - commitsBefore;
        var perCommit = (double)(writers * writesEach) / commits;
        Assert.True(perCommit >= 2, $"{writers * writesEach} writes from {writers} concurrent writers took {commits} commits ({perCommit:F2} per commit): group commit is not batching.");
    }

    [Fact]
    public async Task Writes_queued_before_dispose_are_committed_and_later_ones_refused()
    {
        using var directory = new TempDirectory();
        var store = Open(directory.Path);
        var pending = Enumerable.Range(0, 500).Select(i => store.WriteAsync($"k{i}", Bytes("v"), null)).ToArray();
        store.Dispose();

        await Task.WhenAll(pending);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.WriteAsync("late", Bytes("v"), null));
        using var reopened = Open(directory.Path);
        Assert.NotNull(await reopened.ReadAsync("k499", Ct));
    }

    private SqliteStateStore Open(string? directory = null) =>
        new(new SqliteStateStoreOptions { DataDirectory = directory ?? _directory.Path });

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
