namespace Orleans.Sessions.Testing;

/// <summary>
/// The repository's own test material in <c>tests/TestData/</c>, found from the test binaries by walking up to
/// the repository root (the folder of <c>Orleans.Sessions.sln</c>).
/// </summary>
public static class TestData
{
    /// <summary>The full path of <c>tests/TestData/{relative}</c>; throws (never skips) when it is not there.</summary>
    public static string PathOf(string relative) => RepositoryFile(Path.Combine("tests", "TestData", relative));

    /// <summary>The full path of a file of the repository (<c>scripts/postgres.sh</c>, <c>docker-compose.yml</c>); throws when it is not there.</summary>
    public static string RepositoryFile(string relative)
    {
        var path = Path.Combine(RepositoryRoot, relative);
        return File.Exists(path) ? path : throw new FileNotFoundException($"The repository file {path} is missing.", path);
    }

    /// <summary>The folder of <c>Orleans.Sessions.sln</c> above the test binaries.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Orleans.Sessions.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new DirectoryNotFoundException("The repository root (Orleans.Sessions.sln) is not above the test binaries.");
        }
    }

    /// <summary>MaxMind's GeoIP2-City test database (see <c>tests/TestData/README.md</c>).</summary>
    public static string GeoIpCityDatabase => PathOf("GeoIP2-City-Test.mmdb");

    /// <summary>MaxMind's GeoLite2-ASN test database.</summary>
    public static string AsnDatabase => PathOf("GeoLite2-ASN-Test.mmdb");

    /// <summary>MaxMind's GeoIP2-Anonymous-IP test database.</summary>
    public static string AnonymousIpDatabase => PathOf("GeoIP2-Anonymous-IP-Test.mmdb");
}
