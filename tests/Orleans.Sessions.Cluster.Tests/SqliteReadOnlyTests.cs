using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Cluster.Tests;

/// <summary>
/// The embedded node whose SQLite files become read-only while it runs: its data directory on a small ext4 file system
/// in a loop-mounted image, where the database and its write-ahead log are made immutable (<c>chattr +i</c>, which
/// refuses writes even through the files the node already holds open, and even to root) and then mutable again
/// (<see cref="SqliteFaultTest"/>). The shared-memory index stays writable: SQLite maps it into memory.
/// </summary>
public sealed class SqliteReadOnlyTests : SqliteFaultTest
{
    private readonly TempDirectory _image = new();

    protected override string Fault => "read-only files";

    private string ImageFile => Path.Combine(_image.Path, "ext4.img");

    protected override async Task MountAsync()
    {
        await using (var image = File.Create(ImageFile))
        {
            image.SetLength(32 * 1024 * 1024);
        }

        await RunAsync("mkfs.ext4", ["-q", "-F", ImageFile], "making an ext4 file system in an image (e2fsprogs)");
        await RunAsync("mount", ["-o", "loop", ImageFile, Mount.Path], "mounting the ext4 image");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _image.Dispose();
    }

    protected override Task BreakAsync(string data) => ChangeAsync(data, "+i");

    protected override Task RepairAsync(string data) => ChangeAsync(data, "-i");

    private static async Task ChangeAsync(string data, string attribute)
    {
        foreach (var file in new[] { "sessions.db", "sessions.db-wal" }.Select(f => Path.Combine(data, f)).Where(File.Exists))
        {
            await RunAsync("chattr", [attribute, file], $"chattr {attribute} on {file}");
        }
    }

    [Fact]
    public Task Sign_ons_on_read_only_files_are_quick_503s_and_the_node_recovers_with_nothing_lost_or_corrupt() =>
        SignOnsAreRefusedQuicklyAndNothingIsLostOrCorruptAsync();
}
