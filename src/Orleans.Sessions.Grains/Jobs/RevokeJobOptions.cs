using System.ComponentModel.DataAnnotations;

namespace Orleans.Sessions.Jobs;

/// <summary>How hard a revoke-by-query job works, section <c>Sessions:Jobs</c> (docs/jobs.md, "Pace").</summary>
public sealed class RevokeJobOptions
{
    public const string SectionName = "Sessions:Jobs";

    /// <summary>How many directory shards a job reads at once.</summary>
    [Range(1, 64)]
    public int ShardsAtOnce { get; set; } = 2;

    /// <summary>How many sessions a job asks to end at once, over all the shards it reads.</summary>
    [Range(1, 1024)]
    public int RevokesAtOnce { get; set; } = 16;

    /// <summary>How many matching sessions a job reads from a shard at a time; its progress is stored after each.</summary>
    [Range(1, 500)]
    public int PageSize { get; set; } = 250;
}

/// <summary>Checks the ranges declared on <see cref="RevokeJobOptions"/> at start-up (source-generated).</summary>
[Microsoft.Extensions.Options.OptionsValidator]
public sealed partial class RevokeJobOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<RevokeJobOptions>;
