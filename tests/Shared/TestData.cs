namespace Orleans.Sessions.Testing;

/// <summary>
/// The repository's own test material in <c>tests/TestData/</c>, and the repository's other files the tests read,
/// found from the test binaries by walking up to the repository root (the folder of <c>Orleans.Sessions.sln</c>).
/// </summary>
public static class TestData
{
    /// <summary>The full path of <c>tests/TestData/{relative}</c>; throws (never skips) when it is not there.</summary>
    public static string PathOf(string relative)
    {
        var path = RepositoryPath(Path.Combine("tests", "TestData", relative));
        return File.Exists(path) ? path : throw new FileNotFoundException($"The test data file {path} is missing.", path);
    }

    /// <summary>The full path of <paramref name="relative"/> (a file or folder of the repository, such as <c>deploy/kubernetes</c>).</summary>
    public static string RepositoryPath(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Orleans.Sessions.sln")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, relative));
            }
        }

        throw new DirectoryNotFoundException("The repository root (Orleans.Sessions.sln) is not above the test binaries.");
    }

    /// <summary>MaxMind's GeoIP2-City test database (see <c>tests/TestData/README.md</c>).</summary>
    public static string GeoIpCityDatabase => PathOf("GeoIP2-City-Test.mmdb");
}
