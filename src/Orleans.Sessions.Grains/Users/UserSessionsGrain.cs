using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Sessions.Policy;
using Orleans.Sessions.Risk;
using Orleans.Sessions.SessionDirectory;
using Orleans.Sessions.Storage;

namespace Orleans.Sessions.Users;

/// <summary>
/// One user's sessions. Sign-on, re-authentication, sign-out and revoke are written to storage before
/// they return; activity is coalesced in memory and written within <see cref="SessionsOptions.ActivityFlushInterval"/>,
/// on deactivation and on graceful shutdown (docs/sessions.md, "Activity"). After each stored change the grain sends its
/// active sessions to its directory shard, one-way: the directory is eventually consistent, and shards
/// reconcile with user grains to repair an update lost in a crash.
/// </summary>
[GrainType(UserSessionsNames.GrainType)] // Part of every stored key: pinned so that renaming the class never orphans stored rows.
public sealed partial class UserSessionsGrain(
    [PersistentState(UserSessionsNames.StateName, SessionsStorage.Name)] IPersistentState<UserSessionsState> state,
    IOptions<SessionsOptions> options,
    [FromKeyedServices(SessionsClock.Key)] TimeProvider clock,
    SessionMetrics metrics,
    TenantPolicyCache policies,
    RiskEvaluator risk,
    ILogger<UserSessionsGrain> logger) : Grain, IUserSessionsGrain
{
    private readonly SessionsOptions _options = options.Value;
    private SessionRing _ring = null!;
    private string _tenant = "";
    private string _userId = "";
    private bool _activityPending;
    private bool _storageFailed;
    private IGrainTimer? _flushTimer;
    private IDirectoryShardGrain? _shard;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_tenant, _userId) = UserKey.Parse(this.GetPrimaryKeyString());
        // Events a stored state still carries were committed into the event log with it.
        state.State.PendingEvents.Clear();
        // Rows come with strings of their own: share the values other sessions have too (docs/operations.md, "Memory").
        foreach (var entry in state.State.Sessions)
        {
            entry.ShareValues();
        }

        _ring = new SessionRing(_tenant, _userId, state.State, _options, metrics, risk);
        if (_options.DirectoryEnabled)
        {
            _shard = GrainFactory.GetGrain<IDirectoryShardGrain>(
                DirectoryShards.Key(_tenant, DirectoryShards.ShardOf(_userId, _options.DirectoryShards)));
        }

        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_activityPending && !_storageFailed)
        {
            try
            {
                await PersistAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogActivityFlushFailed(exception, _tenant, _userId);
            }
        }
    }

    public async Task<SignOnResult> SignOnAsync(SignOnCommand command, SessionScope scope)
    {
        // The tenant's policy as this silo knows it: at most Sessions:PolicyRefreshInterval old (docs/policy.md).
        var policy = await policies.GetAsync(_tenant);
        var result = _ring.SignOn(command, scope, clock.GetUtcNow(), policy);
        if (result.Error == SessionError.None)
        {
            await PersistAsync();
            metrics.SignedOn(command.AuthMethod, command.Device.Type);
        }

        return result;
    }

    public async Task<SessionOutcome> ReauthenticateAsync(string sessionId, ReauthenticateCommand command, SessionScope scope)
    {
        var policy = await policies.GetAsync(_tenant);
        return await PersistIfChangedAsync(_ring.Reauthenticate(sessionId, command, scope, clock.GetUtcNow(), policy));
    }

    public async Task<SessionOutcome> RecordActivityAsync(string sessionId, ActivityCommand command, SessionScope scope)
    {
        // A new address is assessed (docs/risk.md): with the policy this silo has, which it mostly has at hand.
        var policy = await policies.GetAsync(_tenant);
        var outcome = _ring.RecordActivity(sessionId, command, scope, clock.GetUtcNow(), policy);
        if (outcome.Error == SessionError.None)
        {
            metrics.RecordedActivity();
            if (state.State.PendingEvents.Count > 0)
            {
                await PersistAsync(); // an event (session.risk from a new address) is not held back with the activity
            }
            else
            {
                ScheduleActivityFlush();
            }
        }

        return outcome;
    }

    public Task<SessionOutcome> PatchMetadataAsync(string sessionId, ImmutableArray<MetadataChange> changes, SessionScope scope) =>
        PersistIfChangedAsync(_ring.PatchMetadata(sessionId, changes, scope, clock.GetUtcNow()));

    public async Task<SessionOutcome> SignOutAsync(string sessionId, SessionScope scope)
    {
        var outcome = await PersistIfChangedAsync(_ring.SignOut(sessionId, scope, clock.GetUtcNow()));
        if (outcome.Error == SessionError.None)
        {
            metrics.SignedOut();
        }

        return outcome;
    }

    public Task<SessionOutcome> RevokeAsync(string sessionId, SessionEnd end, SessionScope scope) =>
        PersistIfChangedAsync(_ring.Revoke(sessionId, end, scope, clock.GetUtcNow()));

    public async Task<RevokeAllResult> RevokeAllAsync(SessionEnd end, string? exceptSessionId, SessionScope scope)
    {
        var result = _ring.RevokeAll(end, exceptSessionId, scope, clock.GetUtcNow());
        if (result.Error == SessionError.None && !result.RevokedSessionIds.IsEmpty)
        {
            await PersistAsync();
        }

        return result;
    }

    public Task<Session?> GetAsync(string sessionId, SessionScope scope) =>
        Task.FromResult(_ring.Find(sessionId, scope, clock.GetUtcNow()));

    public Task<SessionPage> ListAsync(SessionQuery query, SessionScope scope) =>
        Task.FromResult(_ring.Query(query, scope, clock.GetUtcNow()));

    public Task<bool> AuthenticateTokenAsync(string sessionId, string secretHash) =>
        Task.FromResult(_ring.AuthenticatesToken(sessionId, secretHash, clock.GetUtcNow()));

    public async Task ExpireDueAsync()
    {
        if (_ring.ExpireDue(clock.GetUtcNow()))
        {
            await PersistAsync();
        }
    }

    public async Task<DirectoryUserUpdate?> PublishToDirectoryAsync(long shardRevision)
    {
        // A directory rebuilt or reconciling asks every user: an expiry it could not notice is stored now.
        await ExpireDueAsync();
        // The revision goes above what the shard has, and every later update of this grain goes above it in
        // turn, so the shard orders this answer and concurrent updates correctly.
        var revision = state.State.DirectoryRevision =
            Math.Max(NextDirectoryRevision(), shardRevision == long.MaxValue ? long.MaxValue : shardRevision + 1);
        return PublishToDirectory(revision);
    }

    private async Task<SessionOutcome> PersistIfChangedAsync(SessionOutcome outcome)
    {
        if (outcome.Error == SessionError.None)
        {
            await PersistAsync();
        }

        return outcome;
    }

    /// <summary>
    /// Writes the whole state (and with it any pending activity). If the write fails, the in-memory state
    /// is ahead of storage and must not be served or flushed: the activation is dropped so the next call
    /// reloads what was really stored.
    /// </summary>
    private async Task PersistAsync(CancellationToken cancellationToken = default)
    {
        var revision = state.State.DirectoryRevision = NextDirectoryRevision();
        try
        {
            await state.WriteStateAsync(cancellationToken);
            _activityPending = false;
            metrics.EventsStored(state.State.PendingEvents);
            state.State.PendingEvents.Clear(); // Committed into the event log with the state.
        }
        catch
        {
            _storageFailed = true;
            DeactivateOnIdle();
            throw;
        }

        PublishToDirectory(revision);
    }

    /// <summary>
    /// Revisions order a user's directory updates. They follow the clock's ticks, so they keep growing even
    /// when a crash lost the in-memory revisions of unsaved activity.
    /// </summary>
    private long NextDirectoryRevision() =>
        Math.Max(state.State.DirectoryRevision + 1, clock.GetUtcNow().UtcTicks);

    /// <summary>Sends the active sessions to the directory shard under <paramref name="revision"/>, which the caller has assigned; the update sent.</summary>
    private DirectoryUserUpdate? PublishToDirectory(long revision)
    {
        if (_shard is null)
        {
            return null;
        }

        var sessions = _ring.Active(clock.GetUtcNow()).Select(SessionSummary.From).ToImmutableArray();
        var update = new DirectoryUserUpdate(_userId, revision, state.State.UserName, state.State.DisplayName, sessions);
        _shard.UpdateUserAsync(update).Ignore();
        return update;
    }

    private void ScheduleActivityFlush()
    {
        _activityPending = true;
        _flushTimer ??= this.RegisterGrainTimer(
            FlushActivityAsync,
            new GrainTimerCreationOptions(_options.ActivityFlushInterval, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private async Task FlushActivityAsync(CancellationToken cancellationToken)
    {
        _flushTimer?.Dispose();
        _flushTimer = null;
        if (_activityPending && !_storageFailed)
        {
            // A flush that has started is finished: the timer's token does not abandon it.
            await PersistAsync(CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pending activity of {Tenant}/{UserId} could not be stored on deactivation")]
    private partial void LogActivityFlushFailed(Exception exception, string tenant, string userId);
}

/// <summary>The names under which user grains and their state are stored: never change them.</summary>
public static class UserSessionsNames
{
    public const string GrainType = "usersessions";
    public const string StateName = "user-sessions";
}
