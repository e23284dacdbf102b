using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Sessions.SessionDirectory;
using Orleans.Sessions.Storage;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Jobs;

[GenerateSerializer, Alias("sessions.RevokeJobGrainState")]
public sealed class RevokeJobState
{
    [Id(0)]
    public RevokeJob? Job { get; set; }

    /// <summary>Each directory shard's progress: the last session the job dealt with there, and whether it is through.</summary>
    [Id(1)]
    public List<RevokeJobShard> Shards { get; set; } = [];

    /// <summary>The sessions of the round under way, stored before any is ended: a round lost in a crash is ended again.</summary>
    [Id(2)]
    public List<RevokeJobTarget> InFlight { get; set; } = [];
}

[GenerateSerializer, Immutable, Alias("sessions.RevokeJobTarget")]
public sealed record RevokeJobTarget([property: Id(0)] string UserId, [property: Id(1)] string SessionId);

[GenerateSerializer, Alias("sessions.RevokeJobShard")]
public sealed class RevokeJobShard
{
    [Id(0)]
    public bool Done { get; set; }

    [Id(1)]
    public DirectoryPosition? After { get; set; }
}

/// <summary>
/// A revoke-by-query job (docs/jobs.md): goes through the tenant's directory shards — a few at once, a page of matching
/// sessions at a time, oldest first — and ends each session through its user grain, as a single revoke does (status,
/// <c>end</c> with the job's id, token, events, audit). Each round is stored before it is ended (its sessions, and the
/// shards' positions past them) and again after (the counts), so a job whose silo died goes on from there on another
/// (the keeper's <see cref="EnsureRunningAsync"/>): a session it had ended in the lost round answers "not active" with
/// this job's id and is counted as ended, once. Sessions created at or after the job's start are not in its filter.
/// </summary>
[GrainType("revokejob")] // Part of every stored key: pinned.
public sealed partial class RevokeJobGrain(
    [PersistentState("revoke-job", SessionsStorage.Name)] IPersistentState<RevokeJobState> state,
    IOptions<SessionsOptions> sessions,
    IOptions<RevokeJobOptions> options,
    [FromKeyedServices(SessionsClock.Key)] TimeProvider clock,
    SessionMetrics metrics,
    ILogger<RevokeJobGrain> logger) : Grain, IRevokeJobGrain
{
    private const int Attempts = 3;
    private static readonly TimeSpan RebuildWait = TimeSpan.FromMilliseconds(250);
    private IGrainTimer? _timer;

    private string Key => this.GetPrimaryKeyString();

    public async Task<RevokeJob> StartAsync(RevokeJobSpec spec)
    {
        if (state.State.Job is { } existing)
        {
            return existing;
        }

        var (tenant, id) = JobKeys.Parse(Key);
        var shards = sessions.Value.DirectoryShards;
        var now = clock.GetUtcNow();
        state.State.Job = new RevokeJob
        {
            Id = id,
            Tenant = tenant,
            Spec = spec with { Filter = spec.Filter with { CreatedBefore = now.UtcTicks } },
            Status = RevokeJobStatus.Running,
            StartedAt = now,
            Shards = shards,
        };
        state.State.Shards = [.. Enumerable.Range(0, shards).Select(_ => new RevokeJobShard())];
        // Listed first: a job stored but not listed would never be resumed; one listed but not stored is a no-op to the keeper.
        await GrainFactory.GetGrain<IJobRegistryGrain>(IJobRegistryGrain.Key).AddAsync(Key);
        await StoreAsync();
        Run();
        return state.State.Job;
    }

    public Task<RevokeJob?> GetAsync() => Task.FromResult(state.State.Job);

    public async Task<RevokeJob?> CancelAsync(string actor)
    {
        if (state.State.Job is { Status: RevokeJobStatus.Running } job)
        {
            state.State.Job = job with { Status = RevokeJobStatus.Cancelled, FinishedAt = clock.GetUtcNow(), CancelledBy = actor };
            await StoreAsync();
            await FinishAsync();
        }

        return state.State.Job;
    }

    public Task EnsureRunningAsync()
    {
        if (state.State.Job is { Status: RevokeJobStatus.Running })
        {
            Run();
        }

        return Task.CompletedTask;
    }

    private void Run() =>
        _timer ??= this.RegisterGrainTimer(RoundAsync, new GrainTimerCreationOptions(TimeSpan.Zero, TimeSpan.FromMilliseconds(1)) { KeepAlive = true });

    /// <summary>
    /// One round: the next page of each of the next few shards, stored as the round's sessions with the shards' positions
    /// past them (write-ahead); then each session ended and the counts stored. A round found stored at activation was
    /// lost in a crash: it is ended again, and its sessions that had ended answer "not active" with this job's id.
    /// </summary>
    private async Task RoundAsync(CancellationToken cancellationToken)
    {
        if (state.State.Job is not { Status: RevokeJobStatus.Running } job)
        {
            await FinishAsync();
            return;
        }

        if (state.State.InFlight.Count == 0 && !await ReadRoundAsync(job))
        {
            return;
        }

        using var revokes = new SemaphoreSlim(options.Value.RevokesAtOnce);
        var outcomes = await Task.WhenAll(state.State.InFlight.Select(target => EndAsync(job, target, revokes)));
        var done = state.State.Shards.Count(s => s.Done);
        var (ended, skipped, failed) = (outcomes.LongCount(o => o == Outcome.Ended), outcomes.LongCount(o => o == Outcome.Skipped), outcomes.LongCount(o => o == Outcome.Failed));
        job = job with
        {
            Ended = job.Ended + ended,
            Skipped = job.Skipped + skipped,
            Failed = job.Failed + failed,
            ShardsDone = done,
        };
        if (done == state.State.Shards.Count)
        {
            job = job with { Status = RevokeJobStatus.Completed, FinishedAt = clock.GetUtcNow() };
        }

        state.State.Job = job;
        state.State.InFlight.Clear();
        await StoreAsync();
        metrics.JobSessions("ended", ended);
        metrics.JobSessions("skipped", skipped);
        metrics.JobSessions("failed", failed);
        if (job.Status != RevokeJobStatus.Running)
        {
            LogFinished(job.Tenant, job.Id, job.Status, job.Ended, job.Skipped, job.Failed);
            await FinishAsync();
        }
    }

    /// <summary>
    /// Reads the next round and stores it; false when there was nothing to read yet — every shard asked is still
    /// rebuilding after its activation (a restart), and may not have all its sessions: the job waits for it.
    /// </summary>
    private async Task<bool> ReadRoundAsync(RevokeJob job)
    {
        var page = options.Value.PageSize;
        var shards = state.State.Shards.Select((shard, index) => (shard, index)).Where(s => !s.shard.Done).Take(options.Value.ShardsAtOnce).ToList();
        var slices = await Task.WhenAll(shards.Select(s => GrainFactory.GetGrain<IDirectoryShardGrain>(DirectoryShards.Key(job.Tenant, s.index)).QueryAsync(new DirectoryQuery
        {
            Filter = job.Spec.Filter,
            Sort = DirectorySort.LoginAt,
            Descending = false,
            Take = page,
            After = s.shard.After,
        })));
        var read = false;
        for (var i = 0; i < shards.Count; i++)
        {
            var (shard, slice) = (shards[i].shard, slices[i]);
            if (slice.Rebuilding)
            {
                continue;
            }

            read = true;
            state.State.InFlight.AddRange(slice.Items.Select(item => new RevokeJobTarget(item.Session.UserId, item.Session.SessionId)));
            if (slice.Items.Length > 0)
            {
                shard.After = DirectoryOrder.PositionOf(DirectorySort.LoginAt, slice.Items[^1]);
            }

            shard.Done = slice.Items.Length < page;
        }

        if (!read)
        {
            await Task.Delay(RebuildWait);
            return false;
        }

        await StoreAsync();
        return true;
    }

    private async Task<Outcome> EndAsync(RevokeJob job, RevokeJobTarget session, SemaphoreSlim revokes)
    {
        await revokes.WaitAsync();
        try
        {
            var end = new SessionEnd(job.Spec.Actor, job.Spec.Reason, SessionEnd.RevokeByQuery, job.Id);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var outcome = await GrainFactory.UserSessions(job.Tenant, session.UserId)
                        .RevokeAsync(session.SessionId, end, job.Spec.Filter.Scope ?? SessionScope.All);
                    return outcome switch
                    {
                        { Error: SessionError.None } => Outcome.Ended,
                        // Ended by this job in a round whose progress was lost with its silo.
                        { Error: SessionError.NotActive, Session.End.JobId: var by } when by == job.Id => Outcome.Ended,
                        _ => Outcome.Skipped,
                    };
                }
                catch (Exception exception) when (attempt < Attempts && exception is TimeoutException or OrleansException)
                {
                    LogRetrying(exception, job.Tenant, session.UserId, session.SessionId, attempt);
                }
                catch (Exception exception) when (exception is TimeoutException or OrleansException)
                {
                    LogFailed(exception, job.Tenant, session.UserId, session.SessionId);
                    return Outcome.Failed;
                }
            }
        }
        finally
        {
            revokes.Release();
        }
    }

    /// <summary>
    /// Stores the job. If that fails, what this activation holds may be ahead of what is stored: it is dropped, and the
    /// keeper's next call goes on from what was stored.
    /// </summary>
    private async Task StoreAsync()
    {
        try
        {
            await state.WriteStateAsync(CancellationToken.None);
        }
        catch
        {
            _timer?.Dispose();
            _timer = null;
            DeactivateOnIdle();
            throw;
        }
    }

    private async Task FinishAsync()
    {
        _timer?.Dispose();
        _timer = null;
        await GrainFactory.GetGrain<IJobRegistryGrain>(IJobRegistryGrain.Key).RemoveAsync(Key);
    }

    private enum Outcome
    {
        Ended,
        Skipped,
        Failed,
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Revoke-by-query job {Tenant}/{JobId} {Status}: {Ended} ended, {Skipped} skipped, {Failed} failed")]
    private partial void LogFinished(string tenant, string jobId, RevokeJobStatus status, long ended, long skipped, long failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Revoke-by-query job in {Tenant}: ending {UserId}/{SessionId} failed (attempt {Attempt}); trying again")]
    private partial void LogRetrying(Exception exception, string tenant, string userId, string sessionId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Revoke-by-query job in {Tenant}: {UserId}/{SessionId} could not be ended; counted as failed")]
    private partial void LogFailed(Exception exception, string tenant, string userId, string sessionId);
}
