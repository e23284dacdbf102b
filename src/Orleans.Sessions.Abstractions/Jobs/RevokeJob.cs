using System.Collections.Immutable;
using Orleans.Sessions.SessionDirectory;

namespace Orleans.Sessions.Jobs;

/// <summary>What a revoke-by-query job ends (docs/jobs.md): the active sessions the filter matches, created before the job.</summary>
[GenerateSerializer, Immutable, Alias("sessions.RevokeJobSpec")]
public sealed record RevokeJobSpec(
    [property: Id(0)] DirectoryFilter Filter,
    [property: Id(1)] string? Reason,
    [property: Id(2)] string Actor,
    [property: Id(3)] long ConfirmedCount);

/// <summary>Where a job is.</summary>
[GenerateSerializer, Alias("sessions.RevokeJobState")]
public enum RevokeJobStatus
{
    Running = 0,
    Completed = 1,
    Cancelled = 2,
}

/// <summary>
/// A job as it is: its spec, its cut-off (<see cref="StartedAt"/>: sessions created at or after it are not touched), and
/// its counts — <see cref="Matched"/> sessions the filter found, of which <see cref="Ended"/> this job ended,
/// <see cref="Skipped"/> had ended otherwise by the time it came to them, and <see cref="Failed"/> it could not end.
/// </summary>
[GenerateSerializer, Immutable, Alias("sessions.RevokeJob")]
public sealed record RevokeJob
{
    public const string IdPrefix = "job_";

    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Tenant { get; init; }
    [Id(2)] public required RevokeJobSpec Spec { get; init; }
    [Id(3)] public RevokeJobStatus Status { get; init; }
    [Id(4)] public DateTimeOffset StartedAt { get; init; }
    [Id(5)] public DateTimeOffset? FinishedAt { get; init; }
    /// <summary>Derived, not kept (Id 6 was the stored count): every session found is ended, skipped or failed.</summary>
    public long Matched => Ended + Skipped + Failed;
    [Id(7)] public long Ended { get; init; }
    [Id(8)] public long Skipped { get; init; }
    [Id(9)] public long Failed { get; init; }

    /// <summary>How many of the tenant's directory shards the job has gone through, of <see cref="Shards"/>.</summary>
    [Id(10)] public int ShardsDone { get; init; }
    [Id(11)] public int Shards { get; init; }
    [Id(12)] public string? CancelledBy { get; init; }
}

/// <summary>One revoke-by-query job (key <c>{tenant}/job_…</c>): started once, run to its end across silo restarts.</summary>
[Alias("sessions.IRevokeJobGrain")]
public interface IRevokeJobGrain : IGrainWithStringKey
{
    /// <summary>Starts the job if it has not started; the job as it is.</summary>
    [Alias("Start")]
    Task<RevokeJob> StartAsync(RevokeJobSpec spec);

    /// <summary>The job, or null if none has this id.</summary>
    [Alias("Get"), Orleans.Concurrency.AlwaysInterleave]
    Task<RevokeJob?> GetAsync();

    /// <summary>Stops a running job where it is (stored before it returns); the job, or null if none has this id.</summary>
    [Alias("Cancel")]
    Task<RevokeJob?> CancelAsync(string actor);

    /// <summary>Goes on with a running job (the keeper's call after a silo's restart); a no-op otherwise.</summary>
    [Alias("EnsureRunning")]
    Task EnsureRunningAsync();
}

/// <summary>The cluster's running jobs (a single grain), so that the keeper resumes each after a restart.</summary>
[Alias("sessions.IJobRegistryGrain")]
public interface IJobRegistryGrain : IGrainWithStringKey
{
    const string Key = "jobs";

    [Alias("Add")]
    Task AddAsync(string jobKey);

    [Alias("Remove")]
    Task RemoveAsync(string jobKey);

    [Alias("List")]
    Task<ImmutableArray<string>> ListAsync();
}

/// <summary>A job's grain key: <c>{tenant}/job_…</c>.</summary>
public static class JobKeys
{
    public static string Of(string tenant, string jobId) => $"{tenant}/{jobId}";

    public static (string Tenant, string JobId) Parse(string key)
    {
        var slash = key.LastIndexOf('/');
        return (key[..slash], key[(slash + 1)..]);
    }
}
