namespace Orleans.Sessions.Cluster.Tests;

/// <summary>
/// The embedded node on a full disk: its data directory on a 24 MB tmpfs the test fills with a file of its own, and
/// frees by deleting it (<see cref="SqliteFaultTest"/>).
/// </summary>
public sealed class SqliteDiskFullTests : SqliteFaultTest
{
    protected override string Fault => "the full disk";

    private string Filler => Path.Combine(Mount.Path, "filler");

    protected override Task MountAsync() =>
        RunAsync("mount", ["-t", "tmpfs", "-o", "size=24m", "tmpfs", Mount.Path], "mounting a 24 MB tmpfs");

    protected override async Task BreakAsync(string data)
    {
        var chunk = new byte[64 * 1024];
        await using var file = new FileStream(Filler, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
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

    protected override Task RepairAsync(string data)
    {
        File.Delete(Filler);
        return Task.CompletedTask;
    }

    [Fact]
    public Task Sign_ons_on_a_full_disk_are_quick_503s_and_the_node_recovers_with_nothing_lost_or_corrupt() =>
        SignOnsAreRefusedQuicklyAndNothingIsLostOrCorruptAsync();
}
