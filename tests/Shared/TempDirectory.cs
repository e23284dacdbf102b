namespace Orleans.Sessions.Testing;

/// <summary>A directory of its own for one test or fixture (a data directory, a GeoIP file), deleted afterwards.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("orleans-sessions-tests-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a dying process; the OS temp cleaner gets it.
        }
    }
}
