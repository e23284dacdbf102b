namespace Orleans.Sessions.Testing;

/// <summary>
/// The shared material next to the repository (<c>../shared/</c>): the seed API documents. Found from the test
/// binaries by walking up to the repository root.
/// </summary>
public static class SharedData
{
    /// <summary>The full path of <c>../shared/{relative}</c>; throws (never skips) when it is not there.</summary>
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
}
