using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.SessionDirectory;

/// <summary>
/// One shard of a tenant's directory. It keeps its index in memory only and rebuilds it on activation from
/// the users the grain storage holds (asking each of them to publish itself), then reconciles the same way
/// every <see cref="SessionsOptions.DirectoryReconcileInterval"/>: an update lost between a user grain's
/// write and this shard is repaired within that interval, without an operator. Queries are read-only, so
/// they interleave.
/// </summary>
[GrainType("directoryshard")]
public sealed partial class DirectoryShardGrain(
    IOptions<SessionsOptions> options,
    [FromKeyedServices(SessionsClock.Key)] TimeProvider clock,
    IUserKeySource users,
    DirectoryMetrics metrics,
    ILogger<DirectoryShardGrain> logger) : Grain, IDirectoryShardGrain
{
    private static readonly TimeSpan PaceTick = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How often the expiry queue is looked at: an expiry is noticed (and its event stored) within this, plus a call.
    /// Every second, so that user grains are told of expiries at the rate they happen rather than in one burst of all
    /// the expiries of a longer period (bench/RESULTS.md, "Soak").
    /// </summary>
    private static readonly TimeSpan ExpiryCheckPeriod = TimeSpan.FromSeconds(1);

    private readonly SessionsOptions _options = options.Value;
    private readonly DirectoryIndex _index = new(options.Value.DirectoryIndexedMetadataKeys);
    private readonly Queue<string> _toAsk = new();
    private string _tenant = "";
    private int _shard;
    private IGrainTimer? _paceTimer;
    private IDisposable? _tracked;

    /// <summary>Until every user of the first pass after activation has answered: the index may lack some.</summary>
    private bool _rebuilding = true;
    private bool _firstPassListed;
    private int _firstPassWaiting;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var slash = key.LastIndexOf('/');
        _tenant = key[..slash];
        _shard = int.Parse(key[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        if (_shard >= _options.DirectoryShards)
        {
            // Only a silo with another shard count makes this key: its user grains publish to shards this silo's
            // directory grains never ask, so list-all misses or repeats them until the settings agree.
            LogShardOutOfRange(_tenant, _shard, _options.DirectoryShards);
        }

        _tracked = metrics.Track(_index);

        // The first pass rebuilds the index; later ones reconcile it. The timer keeps the shard (and its
        // in-memory index) alive.
        // Interleaving: listing a large tenant's users from storage must not hold queries and updates back.
        this.RegisterGrainTimer(
            _ => StartReconciliationAsync(),
            new GrainTimerCreationOptions(TimeSpan.Zero, _options.DirectoryReconcileInterval) { KeepAlive = true, Interleave = true });
        this.RegisterGrainTimer(
            () =>
            {
                Purge(clock.GetUtcNow().UtcTicks);
                return Task.CompletedTask;
            },
            new GrainTimerCreationOptions(ExpiryCheckPeriod, ExpiryCheckPeriod) { KeepAlive = true });
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _tracked?.Dispose();
        return Task.CompletedTask;
    }

    public Task UpdateUserAsync(DirectoryUserUpdate update)
    {
        _index.Apply(update);
        return Task.CompletedTask;
    }

    public Task<DirectorySlice> QueryAsync(DirectoryQuery query)
    {
        var now = clock.GetUtcNow().UtcTicks;
        Purge(now);
        var slice = _index.Query(query, now);
        return Task.FromResult(_rebuilding ? slice with { Rebuilding = true } : slice);
    }

    public Task<DirectoryCounts> CountAsync(DirectoryFilter filter)
    {
        var now = clock.GetUtcNow().UtcTicks;
        Purge(now);
        return Task.FromResult(_index.Count(filter, now));
    }

    /// <summary>
    /// Drops what has expired from the index and tells each user grain concerned, which stores the expiry with its
    /// <c>session.expired</c> event (docs/events.md, "Expiry"). One-way: a call lost in a crash is made good by the
    /// user's next change or the next reconciliation, which both fold expiries in.
    /// </summary>
    private void Purge(long now)
    {
        if (!_index.HasExpired(now))
        {
            return; // Every query purges first: nothing is allocated when nothing is due.
        }

        var users = new HashSet<string>(StringComparer.Ordinal);
        metrics.Expired(_index.Purge(now, users));
        foreach (var userId in users)
        {
            GrainFactory.UserSessions(_tenant, userId).ExpireDueAsync().Ignore();
        }
    }

    private async Task StartReconciliationAsync()
    {
        if (_toAsk.Count > 0)
        {
            // The previous pass is still asking; let it finish rather than restart it and starve its tail.
            return;
        }

        IReadOnlyList<string> userIds;
        try
        {
            userIds = await users.UserIdsAsync(_tenant, CancellationToken.None);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogListFailed(exception, _tenant, _shard);
            return;
        }

        _toAsk.Clear();
        foreach (var userId in userIds)
        {
            if (DirectoryShards.ShardOf(userId, _options.DirectoryShards) == _shard)
            {
                _toAsk.Enqueue(userId);
            }
        }

        LogReconciling(_tenant, _shard, _toAsk.Count);
        _firstPassListed = true;
        EndRebuildIfAnswered();
        _paceTimer ??= this.RegisterGrainTimer(
            () =>
            {
                AskUsers(Math.Max(1, (int)(_options.DirectoryReconcileRate * PaceTick.TotalSeconds)));
                return Task.CompletedTask;
            },
            new GrainTimerCreationOptions(TimeSpan.Zero, PaceTick) { KeepAlive = true });
    }

    /// <summary>Asks up to <paramref name="count"/> queued users to publish themselves (one-way: no waiting).</summary>
    private void AskUsers(int count)
    {
        for (var i = 0; i < count && _toAsk.TryDequeue(out var userId); i++)
        {
            var answer = GrainFactory.UserSessions(_tenant, userId).PublishToDirectoryAsync(_index.RevisionOf(userId));
            if (_rebuilding)
            {
                _firstPassWaiting++;
                _ = ApplyAnswerAsync(answer);
            }
            else
            {
                answer.Ignore(); // The one-way update the user grain sends does it.
            }
        }

        if (_toAsk.Count == 0 && _paceTimer is not null)
        {
            _paceTimer.Dispose();
            _paceTimer = null;
        }
    }

    /// <summary>
    /// A first-pass user's answer, applied here too (it is the update the user grain also sent one-way, which may come
    /// later): when every one has come, the index has every user the storage listed, and the shard is rebuilt.
    /// </summary>
    private async Task ApplyAnswerAsync(Task<DirectoryUserUpdate?> answer)
    {
        try
        {
            if (await answer is { } update)
            {
                _index.Apply(update);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A user that could not answer is not waited for: its own next change, or the next pass, brings it.
            LogAskFailed(exception, _tenant, _shard);
        }
        finally
        {
            _firstPassWaiting--;
            EndRebuildIfAnswered();
        }
    }

    private void EndRebuildIfAnswered()
    {
        if (_rebuilding && _firstPassListed && _toAsk.Count == 0 && _firstPassWaiting == 0)
        {
            _rebuilding = false;
            LogRebuilt(_tenant, _shard, _index.SessionCount);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Directory shard {Tenant}/{Shard}: a user could not publish itself while the shard was rebuilt")]
    private partial void LogAskFailed(Exception exception, string tenant, int shard);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Directory shard {Tenant}/{Shard} is rebuilt: {Sessions} active sessions")]
    private partial void LogRebuilt(string tenant, int shard, int sessions);

    [LoggerMessage(Level = LogLevel.Error, Message = "Directory shard {Tenant}/{Shard} was activated but this silo has {Shards} shards: give every silo the same Sessions:DirectoryShards")]
    private partial void LogShardOutOfRange(string tenant, int shard, int shards);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Directory shard {Tenant}/{Shard} reconciles {Users} users")]
    private partial void LogReconciling(string tenant, int shard, int users);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Directory shard {Tenant}/{Shard} could not list the stored users; it retries on its next pass")]
    private partial void LogListFailed(Exception exception, string tenant, int shard);
}
