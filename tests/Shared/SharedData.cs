namespace Orleans.Sessions.Testing;

/// <summary>
/// The test data in <c>tests/TestData/</c>: the seed API shapes (<c>Compat/</c>) and MaxMind's test GeoIP
/// database. Found from the test binaries by walking up to the repository root.
/// </summary>
public static class SharedData
{
    /// <summary>The full path of a test data file or folder; throws (never skips) when it is not there.</summary>
    public static string PathOf(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Orleans.Sessions.sln")))
            {
                var path = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", relative));
                return File.Exists(path) || Directory.Exists(path) ? path : throw new FileNotFoundException($"The shared test data is not at {path}.", path);
            }
        }

        throw new DirectoryNotFoundException("The repository root (Orleans.Sessions.sln) is not above the test binaries.");
    }

    /// <summary>MaxMind's GeoIP2-City test database.</summary>
    public static string GeoIpTestDatabase => PathOf(Path.Combine("testdata", "GeoIP2-City-Test.mmdb"));
}
