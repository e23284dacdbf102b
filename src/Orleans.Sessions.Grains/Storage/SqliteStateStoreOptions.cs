using System.ComponentModel.DataAnnotations;

namespace Orleans.Sessions.Storage;

public sealed class SqliteStateStoreOptions
{
    /// <summary>The directory of the database file; created if missing.</summary>
    [Required]
    public string DataDirectory { get; set; } = "./data";

    public string FileName { get; set; } = "sessions.db";

    /// <summary>The most writes one transaction (one fsync) carries.</summary>
    [Range(1, 100_000)]
    public int MaxBatchSize { get; set; } = 1024;

    /// <summary>
    /// Wait for each commit to reach the disk (SQLite <c>synchronous=FULL</c>). Turning it off keeps
    /// writes safe from process crashes but not from power loss or an OS crash.
    /// </summary>
    public bool SyncToDisk { get; set; } = true;

    /// <summary>
    /// The page size of a new file (an existing file keeps its own). A commit writes whole pages to the log, and each
    /// write of a random user dirties a few: larger pages made durable sign-ons faster here (bench/RESULTS.md).
    /// </summary>
    [AllowedValues(1024, 2048, 4096, 8192, 16384, 32768, 65536)]
    public int PageSize { get; set; } = 16384;

    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, FileName));
}

[Microsoft.Extensions.Options.OptionsValidator]
public sealed partial class SqliteStateStoreOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<SqliteStateStoreOptions>;
