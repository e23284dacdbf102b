using System.ComponentModel.DataAnnotations;

namespace Orleans.Sessions.Storage.Postgres;

/// <summary>The project's PostgreSQL grain storage (<c>Sessions:Postgres</c>, docs/operations.md).</summary>
public sealed class PostgresStateStoreOptions
{
    /// <summary>The most writes one transaction carries.</summary>
    [Range(1, 10_000)]
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>
    /// Batches in flight at once, each on a connection of the silo's pool: while one waits for its commit to reach the
    /// disk, the next gathers and sends its writes.
    /// </summary>
    [Range(1, 64)]
    public int Writers { get; set; } = 2;
}

[Microsoft.Extensions.Options.OptionsValidator]
public sealed partial class PostgresStateStoreOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<PostgresStateStoreOptions>;
