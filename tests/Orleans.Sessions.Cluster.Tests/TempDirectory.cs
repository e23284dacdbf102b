using Microsoft.Data.Sqlite;

namespace Orleans.Sessions.Cluster.Tests;

/// <summary>A data directory of its own for one test, deleted afterwards.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("orleans-sessions-process-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a process that is going away; the OS temp cleaner gets it.
        }
    }
}
