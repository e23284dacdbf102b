using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Sessions.Deliveries;
using Orleans.Sessions.Events;
using Orleans.Sessions.Keys;
using Orleans.Sessions.Storage;
using Orleans.Storage;

namespace Orleans.Sessions.SharedSignals;

/// <summary>A SET answered to a poll and not yet acknowledged.</summary>
[GenerateSerializer, Alias("sessions.SsfOutstandingSet")]
public sealed class SsfOutstandingSet
{
    [Id(0)]
    public required string Jti { get; init; }

    /// <summary>The signed SET, answered again as it was the first time.</summary>
    [Id(1)]
    public required string Token { get; init; }

    /// <summary>When a poll last answered it (real time).</summary>
    [Id(2)]
    public DateTimeOffset SentAt { get; set; }

    /// <summary>When its event occurred (session time): how far behind the receiver is.</summary>
    [Id(3)]
    public DateTimeOffset OccurredAt { get; init; }
}

/// <summary>Where a poll stream stands: the log position read up to, and the SETs answered and not yet acknowledged, oldest first.</summary>
[GenerateSerializer, Alias("sessions.SsfPollState")]
public sealed class SsfPollState
{
    [Id(0)]
    public EventPosition Position { get; set; }

    [Id(1)]
    public bool Started { get; set; }

    [Id(2)]
    public List<SsfOutstandingSet> Outstanding { get; set; } = [];
}

/// <summary>
/// Poll delivery (RFC 8936) for one stream (docs/shared-signals.md, "Poll delivery"). A poll first forgets the SETs it
/// acknowledges or refuses (<c>setErrs</c>), then answers, oldest first, the SETs answered before and not acknowledged
/// within <see cref="SsfPollOptions.ResendAfter"/> — the same tokens — and then new ones read from the event log after
/// the stored position, signed now. The new position and the SETs answered are stored before the answer leaves: a
/// poll whose answer is lost (a silo dies, the connection drops) finds them again after the resend delay. At most
/// <see cref="SsfPollOptions.MaxUnacknowledged"/> wait for acknowledgement; past that, nothing new is read until some are acknowledged.
/// </summary>
[GrainType("ssfpoll")] // Part of the stored key: pinned.
public sealed partial class SsfPollGrain(
    [PersistentState("ssf-poll", SessionsStorage.Name)] IPersistentState<SsfPollState> state,
    IEventLog log,
    IGrainStorageSerializer serializer,
    IOptions<SsfPollOptions> options,
    DeliveryMetrics metrics,
    ILogger<SsfPollGrain> logger) : Grain, ISsfPollGrain
{
    private const int Page = 500;

    /// <summary>How long one poll keeps reading the log past events the stream does not want.</summary>
    private static readonly TimeSpan TurnLength = TimeSpan.FromSeconds(2);

    /// <summary>Resends run on real time, like the retries of pushes, not on session time (which tests move).</summary>
    private readonly TimeProvider _clock = TimeProvider.System;
    private string _tenant = "";
    private string _streamId = "";

    /// <summary>Whether the stream was found full of unacknowledged SETs: said once in the log, not on every poll.</summary>
    private bool _full;

    private List<SsfOutstandingSet> Outstanding => state.State.Outstanding;

    private int MaxOutstanding => options.Value.MaxUnacknowledged;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_tenant, _streamId) = DeliveryKey.Split(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.Behind(this.GetPrimaryKeyString(), 0, null);
        return Task.CompletedTask;
    }

    public async Task StartAsync()
    {
        if (!state.State.Started)
        {
            state.State.Position = await log.EndAsync(_tenant, CancellationToken.None);
            state.State.Started = true;
            await StoreAsync();
        }
    }

    /// <summary>
    /// Stores the stream's position and outstanding SETs. If that fails — storage down, or another activation of this
    /// stream wrote meanwhile (a silo declared dead while it still ran) — what this activation holds may be ahead of what
    /// is stored: it is dropped, the next poll reloads what was stored, and the receiver polls again.
    /// </summary>
    private async Task StoreAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    public async Task<SsfPollAnswer?> PollAsync(SsfPoll poll)
    {
        var stream = await GrainFactory.GetGrain<ISsfStreamsGrain>(_tenant).FindAsync(_streamId);
        if (stream is not { Method: SsfDeliveryMethod.Poll } || stream.Audience != poll.Audience)
        {
            return null;
        }

        await StartAsync();
        var now = _clock.GetUtcNow();
        var changed = Settle(poll);
        var answer = new List<KeyValuePair<string, string>>();
        var more = false;
        foreach (var set in Outstanding.Where(set => now - set.SentAt >= options.Value.ResendAfter))
        {
            if (answer.Count >= poll.MaxEvents)
            {
                more = true;
                break;
            }

            set.SentAt = now;
            answer.Add(KeyValuePair.Create(set.Jti, set.Token));
            changed = true;
        }

        var resent = answer.Count;
        if (!more && poll.MaxEvents > answer.Count && stream.Status == SsfStreamStatus.Enabled)
        {
            (var read, more) = await ReadAsync(stream, answer, poll.MaxEvents, now);
            changed |= read;
        }

        if (changed)
        {
            await StoreAsync(); // Before the answer: what it carries is kept until acknowledged.
        }

        metrics.Polled(resent, answer.Count - resent);
        metrics.Behind(this.GetPrimaryKeyString(), Outstanding.Count, Outstanding.Count == 0 ? null : Outstanding.Min(set => set.OccurredAt));
        return new SsfPollAnswer([.. answer], more);
    }

    public async Task StopAsync()
    {
        await state.ClearStateAsync();
        metrics.Behind(this.GetPrimaryKeyString(), 0, null);
        DeactivateOnIdle();
    }

    /// <summary>Forgets what the poll acknowledges or refuses; whether anything was forgotten.</summary>
    private bool Settle(SsfPoll poll)
    {
        if (poll.Acks.IsEmpty && poll.Errors.IsEmpty)
        {
            return false;
        }

        var acknowledged = poll.Acks.ToHashSet(StringComparer.Ordinal);
        var refused = poll.Errors.ToDictionary(e => e.Jti, StringComparer.Ordinal);
        var before = Outstanding.Count;
        var acks = 0;
        Outstanding.RemoveAll(set =>
        {
            if (acknowledged.Contains(set.Jti))
            {
                acks++;
                return true;
            }

            if (refused.TryGetValue(set.Jti, out var error))
            {
                LogRefused(_tenant, _streamId, set.Jti, error.Err, error.Description);
                return true;
            }

            return false;
        });
        metrics.Settled(acks, before - Outstanding.Count - acks);
        return Outstanding.Count != before;
    }

    /// <summary>Signs the SETs of what is new in the log into <paramref name="answer"/>, up to <paramref name="max"/>.</summary>
    /// <returns>Whether the position moved, and whether the log may have more for the stream than the answer took.</returns>
    private async Task<(bool Read, bool More)> ReadAsync(SsfStream stream, List<KeyValuePair<string, string>> answer, int max, DateTimeOffset now)
    {
        _full &= Outstanding.Count >= MaxOutstanding;
        var filter = new SsfEventFilter(stream);
        var keys = GrainFactory.GetGrain<ISigningKeysGrain>(_tenant);
        var read = false;
        while (true)
        {
            var rows = await log.ReadAsync(_tenant, new EventQuery { After = state.State.Position, Limit = Page }, CancellationToken.None);
            foreach (var (position, payload) in rows)
            {
                if (answer.Count >= max)
                {
                    return (read, true);
                }

                if (Outstanding.Count >= MaxOutstanding)
                {
                    if (!_full)
                    {
                        _full = true;
                        LogFull(_tenant, _streamId, MaxOutstanding);
                    }

                    return (read, false); // Not "more": a receiver told so would poll again at once and get nothing.
                }

                var sessionEvent = serializer.Deserialize<SessionEvent>(new BinaryData(payload))!;
                if (filter.Wants(position, sessionEvent))
                {
                    var token = await keys.SignAsync(SecurityEventToken.Type, SecurityEventToken.Claims(stream, sessionEvent, now));
                    var set = new SsfOutstandingSet { Jti = SecurityEventToken.Jti(stream, sessionEvent), Token = token, SentAt = now, OccurredAt = sessionEvent.OccurredAt };
                    Outstanding.Add(set);
                    answer.Add(KeyValuePair.Create(set.Jti, set.Token));
                }

                state.State.Position = position;
                read = true;
            }

            if (rows.Count < Page || _clock.GetUtcNow() - now >= TurnLength)
            {
                return (read, rows.Count == Page);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shared Signals stream {Tenant}/{StreamId}: the receiver refused SET {Jti}: {Err} ({Description})")]
    private partial void LogRefused(string tenant, string streamId, string jti, string err, string? description);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shared Signals stream {Tenant}/{StreamId}: {Count} SETs wait for acknowledgement; nothing new is read until the receiver acknowledges some")]
    private partial void LogFull(string tenant, string streamId, int count);
}
