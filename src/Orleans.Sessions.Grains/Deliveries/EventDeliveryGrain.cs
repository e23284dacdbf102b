using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Sessions.Events;
using Orleans.Sessions.Storage;
using Orleans.Sessions.Webhooks;
using Orleans.Storage;

namespace Orleans.Sessions.Deliveries;

/// <summary>Where one receiver's deliveries stand: the log position delivered up to, redeliveries asked for, the log of attempts.</summary>
[GenerateSerializer, Alias("sessions.WebhookDeliveryState")] // Named when only webhooks were delivered: kept for rolling upgrades.
public sealed class DeliveryState
{
    [Id(0)]
    public EventPosition Position { get; set; }

    /// <summary>False until the first run: a new receiver starts at the log's end, not its beginning.</summary>
    [Id(1)]
    public bool Started { get; set; }

    [Id(2)]
    public bool Stopped { get; set; }

    /// <summary>The newest attempts, newest last, at most <see cref="EventDeliveryGrain.LogLength"/>.</summary>
    [Id(3)]
    public List<DeliveryAttempt> Attempts { get; set; } = [];

    /// <summary>Events asked to be delivered again (stored JSON), oldest first; delivered before what is new in the log.</summary>
    [Id(4)]
    public List<byte[]> Redeliveries { get; set; } = [];
}

/// <summary>
/// Follows the tenant's event log for one receiver — a webhook endpoint, a back-channel logout client, a Shared Signals
/// push stream — (docs/webhooks.md, "Delivery"): every <see cref="WebhooksOptions.PollInterval"/> it reads what is new into its window
/// (<see cref="DeliveryWindow"/>) and posts the events the receiver wants (<see cref="IDeliveryTarget"/>): each
/// user's one at a time in log order — so a user's events arrive in order — and different users' side by side, up to
/// <see cref="WebhooksOptions.Concurrency"/>. A failed delivery holds that user's later events at this receiver (and
/// only there), retried with exponential backoff and jitter; after <see cref="WebhooksOptions.RetryFor"/> the event is
/// dead-lettered, the receiver marked failing, and delivery goes on. A round in which the receiver looks down backs
/// the whole receiver off. The position is stored after each round, up to the first event still waiting: at least once.
/// </summary>
[GrainType("webhookdelivery")] // Part of the stored key: pinned.
public sealed partial class EventDeliveryGrain(
    [PersistentState("webhook-delivery", SessionsStorage.Name)] IPersistentState<DeliveryState> state,
    IEventLog log,
    IGrainStorageSerializer serializer,
    IEnumerable<IDeliveryReceivers> receivers,
    IHttpClientFactory http,
    IOptions<WebhooksOptions> options,
    DeliveryMetrics metrics,
    ILogger<EventDeliveryGrain> logger) : Grain, IEventDeliveryGrain
{
    public const string HttpClientName = "webhooks";
    public const int LogLength = 200;
    private const int Batch = 500;

    /// <summary>How long one timer tick keeps delivering pages while the log has more.</summary>
    private static readonly TimeSpan TurnLength = TimeSpan.FromSeconds(2);

    private readonly WebhooksOptions _options = options.Value;

    /// <summary>Retries, backoff and the signature's timestamp run on real time, not on session time (which tests move).</summary>
    private readonly TimeProvider _clock = TimeProvider.System;
    private string _tenant = "";
    private string _receiverId = "";
    private IDeliveryReceivers _receivers = null!;
    private IGrainTimer? _timer;
    private readonly DeliveryWindow _window = new(Batch);

    /// <summary>When the receiver, after a round in which nothing went through, is tried again; and how many such rounds in a row.</summary>
    private DateTimeOffset _retryAt;
    private int _failedRounds;

    /// <summary>The failures of the redelivery at the head of the queue (redeliveries go one at a time, before the window).</summary>
    private (string Id, int Tries, DateTimeOffset FirstFailure)? _redelivery;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_tenant, _receiverId) = DeliveryKey.Split(this.GetPrimaryKeyString());
        _receivers = receivers.FirstOrDefault(kind => _receiverId.StartsWith(kind.IdPrefix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"No kind of receiver has ids like '{_receiverId}'.");
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.Behind(this.GetPrimaryKeyString(), 0, null); // Whichever silo activates it next reports it.
        return Task.CompletedTask;
    }

    public async Task EnsureRunningAsync()
    {
        if (state.State.Stopped || _timer is not null)
        {
            return;
        }

        if (!state.State.Started)
        {
            // A new receiver gets what happens from now on: start at the end of the log.
            state.State.Position = await log.EndAsync(_tenant, CancellationToken.None);
            state.State.Started = true;
            await state.WriteStateAsync();
        }

        _timer = this.RegisterGrainTimer(DeliverAsync, new GrainTimerCreationOptions(TimeSpan.Zero, _options.PollInterval) { KeepAlive = true });
    }

    public Task<ImmutableArray<DeliveryAttempt>> LogAsync(int limit) =>
        Task.FromResult(state.State.Attempts.AsEnumerable().Reverse().Take(limit).ToImmutableArray());

    public async Task<int> RedeliverAsync(EventSelection selection)
    {
        var target = await _receivers.FindAsync(_tenant, _receiverId);
        if (target is null)
        {
            return 0;
        }

        var room = EventSelection.MaxEvents - state.State.Redeliveries.Count;
        var rows = await log.FindAsync(_tenant, selection with { Limit = Math.Min(selection.Limit, Math.Max(room, 0)) }, CancellationToken.None);
        var wanted = rows.Where(row => target.Wants(serializer.Deserialize<SessionEvent>(new BinaryData(row.Payload))!)).Select(row => row.Payload).ToList();
        if (wanted.Count > 0)
        {
            state.State.Redeliveries.AddRange(wanted);
            await state.WriteStateAsync();
            await EnsureRunningAsync();
        }

        return wanted.Count;
    }

    public async Task StopAsync()
    {
        _timer?.Dispose();
        _timer = null;
        state.State.Stopped = true;
        await state.WriteStateAsync();
        DeactivateOnIdle();
    }

    private async Task DeliverAsync(CancellationToken cancellationToken)
    {
        try
        {
            await DeliverDueAsync(cancellationToken);
        }
        catch (InconsistentStateException)
        {
            // Another activation of this delivery wrote the position meanwhile (a silo was declared dead while it still
            // ran): this one stops, and the next call reloads what was stored.
            _timer?.Dispose();
            _timer = null;
            DeactivateOnIdle();
        }
    }

    private async Task DeliverDueAsync(CancellationToken cancellationToken)
    {
        // Behind the log, pages follow one another without waiting for the next tick, for a while: other calls (the
        // delivery log, redelivery requests) get their turn between ticks.
        var until = _clock.GetUtcNow() + TurnLength;
        while (_clock.GetUtcNow() >= _retryAt && await DeliverPageAsync(until, cancellationToken) && _clock.GetUtcNow() < until)
        {
        }
    }

    /// <returns>Whether the window was emptied of a full page, so more may be waiting in the log.</returns>
    private async Task<bool> DeliverPageAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        var read = 0;
        if (_window.Room > 0)
        {
            var rows = await log.ReadAsync(_tenant, new EventQuery { After = _window.Last ?? state.State.Position, Limit = _window.Room }, cancellationToken);
            _window.Append(rows.Select(row => (row.Position, serializer.Deserialize<SessionEvent>(new BinaryData(row.Payload))!)));
            read = rows.Count;
        }

        if (_window.Last is null && state.State.Redeliveries.Count == 0)
        {
            // Nothing new and nothing waiting: an idle receiver's tick costs one read, not a call to its registration.
            metrics.Behind(this.GetPrimaryKeyString(), 0, null);
            return false;
        }

        if (await _receivers.FindAsync(_tenant, _receiverId) is not { } target)
        {
            await StopAsync();
            return false;
        }

        if (!target.Enabled)
        {
            // Held where it is: a disabled receiver gets what happened meanwhile once enabled again. Not a backlog to
            // alert on: someone chose it.
            metrics.Behind(this.GetPrimaryKeyString(), 0, null);
            return false;
        }

        var round = new Round(target, until);
        bool Wants(EventPosition position, SessionEvent e) => target.Wants(e) && (target.DeliversAfter is not { } after || position.CompareTo(after) > 0);
        var redelivered = false;
        while (state.State.Redeliveries.Count > 0 && !round.Failed)
        {
            var again = serializer.Deserialize<SessionEvent>(new BinaryData(state.State.Redeliveries[0]))!;
            if (await round.AttemptAsync(this, again, redelivery: true, cancellationToken))
            {
                state.State.Redeliveries.RemoveAt(0);
                redelivered = true;
            }
        }

        if (!round.Failed)
        {
            // Each user's events one after another, in log order; different users' side by side, up to Concurrency. A
            // round stops taking users when the receiver looks down, and past its turn.
            var chains = new Queue<List<SessionEvent>>(_window.DueChains(Wants, _clock.GetUtcNow()));
            await Task.WhenAll(Enumerable.Range(0, Math.Min(_options.Concurrency, chains.Count)).Select(async _ =>
            {
                while (round.Going && chains.TryDequeue(out var chain))
                {
                    foreach (var sessionEvent in chain)
                    {
                        if (!await round.AttemptAsync(this, sessionEvent, redelivery: false, cancellationToken))
                        {
                            break; // The user's later events wait for this one.
                        }
                    }
                }
            }));
        }

        // The stored position moves past every event delivered or not wanted, up to the first still waiting.
        var passed = _window.Pass(Wants);
        if (passed is { } position)
        {
            state.State.Position = position;
        }

        await EndRoundAsync(round, redelivered || passed is not null, cancellationToken);
        var (waiting, oldest) = _window.Backlog(Wants);
        metrics.Behind(this.GetPrimaryKeyString(), waiting + state.State.Redeliveries.Count, oldest);
        return read == Batch && _window.Last is null;
    }

    /// <summary>After a round of attempts: the receiver's failing mark, the backoff if it only failed, the stored position and log.</summary>
    private async Task EndRoundAsync(Round round, bool moved, CancellationToken cancellationToken)
    {
        if (round.DeadLettered)
        {
            await _receivers.SetFailingAsync(_tenant, _receiverId, _clock.GetUtcNow());
        }
        else if (round.Delivered && round.Target.FailingSince is not null)
        {
            await _receivers.SetFailingAsync(_tenant, _receiverId, null);
        }

        // The receiver is down: nothing is tried before a backoff. Otherwise only the users whose event failed wait,
        // each for their own backoff.
        _failedRounds = round.Down ? _failedRounds + 1 : 0;
        _retryAt = _failedRounds > 0 ? _clock.GetUtcNow() + Backoff(_failedRounds) : DateTimeOffset.MinValue;
        if (_redelivery is { } held)
        {
            // A refused redelivery goes first again, after its own backoff: everything waits for it.
            var retry = _clock.GetUtcNow() + Backoff(held.Tries);
            _retryAt = retry > _retryAt ? retry : _retryAt;
        }

        if (moved || round.Attempted)
        {
            await state.WriteStateAsync(cancellationToken); // An attempt shows in the delivery log even if nothing else moves.
        }
    }

    /// <summary>One event's attempt: delivered, held for a retry, or — failing <see cref="WebhooksOptions.RetryFor"/> after its first failure — dead-lettered.</summary>
    /// <returns>The outcome, and whether the failure said the receiver itself is unavailable (no answer, 429, 502, 503 or 504).</returns>
    private async Task<(DeliveryOutcome Outcome, bool Unavailable)> AttemptAsync(
        IDeliveryTarget target, SessionEvent sessionEvent, bool redelivery, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var (tries, firstFailure) = redelivery
            ? (_redelivery is { } held && held.Id == sessionEvent.Id ? (held.Tries, held.FirstFailure) : (0, now))
            : _window.Failures(sessionEvent, now);
        var attempt = tries + 1;
        var (status, error, latency) = await PostAsync(target, sessionEvent, cancellationToken);
        var outcome = status is >= 200 and < 300 ? DeliveryOutcome.Delivered
            : now - firstFailure >= _options.RetryFor ? DeliveryOutcome.DeadLettered
            : DeliveryOutcome.Retrying;
        if (redelivery)
        {
            _redelivery = outcome == DeliveryOutcome.Retrying ? (sessionEvent.Id, attempt, firstFailure) : null;
        }
        else if (outcome == DeliveryOutcome.Retrying)
        {
            _window.Hold(sessionEvent, attempt, firstFailure, now + Backoff(attempt));
        }
        else
        {
            _window.Done(sessionEvent);
        }

        if (outcome == DeliveryOutcome.DeadLettered)
        {
            LogDeadLettered(_tenant, _receiverId, sessionEvent.Id, attempt);
        }

        metrics.Attempted(_receivers.Kind, outcome, latency);
        var attempts = state.State.Attempts;
        attempts.Add(new DeliveryAttempt(sessionEvent.Id, sessionEvent.Type, now, attempt, status, latency, outcome == DeliveryOutcome.Delivered ? null : error, outcome));
        if (attempts.Count > LogLength)
        {
            attempts.RemoveRange(0, attempts.Count - LogLength);
        }

        return (outcome, outcome != DeliveryOutcome.Delivered && status is null or 429 or 502 or 503 or 504);
    }

    private async Task<(int? Status, string? Error, TimeSpan Latency)> PostAsync(IDeliveryTarget target, SessionEvent sessionEvent, CancellationToken cancellationToken)
    {
        using var request = await target.CreateRequestAsync(sessionEvent, cancellationToken);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var client = http.CreateClient(HttpClientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return ((int)response.StatusCode, response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}", Stopwatch.GetElapsedTime(started));
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or TimeoutException or Polly.Timeout.TimeoutRejectedException)
        {
            return (null, exception.GetType().Name + ": " + exception.Message, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>Doubling from <see cref="WebhooksOptions.FirstRetryDelay"/> up to <see cref="WebhooksOptions.MaxRetryDelay"/>, each between half and all of it (jitter).</summary>
    private TimeSpan Backoff(int attempt)
    {
        var ceiling = Math.Min(_options.FirstRetryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30)), _options.MaxRetryDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (Random.Shared.NextDouble() / 2)));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {Tenant}/{ReceiverId}: event {EventId} dead-lettered after {Attempts} attempts; the receiver is marked failing")]
    private partial void LogDeadLettered(string tenant, string receiverId, string eventId, int attempts);

    /// <summary>What one round of attempts against a receiver came to.</summary>
    private sealed class Round(IDeliveryTarget target, DateTimeOffset until)
    {
        public IDeliveryTarget Target { get; } = target;

        public bool Attempted { get; private set; }

        public bool Delivered { get; private set; }

        public bool DeadLettered { get; private set; }

        /// <summary>Some event is held for a retry.</summary>
        public bool Failed { get; private set; }

        /// <summary>A failure said the receiver itself is unavailable (no answer, 429, 502, 503, 504).</summary>
        public bool Unavailable { get; private set; }

        /// <summary>Nothing went through and the receiver said it is unavailable: it is down, not one user's event refused.</summary>
        public bool Down => Unavailable && !Delivered;

        /// <summary>Whether to take another user: not to a receiver that is down, nor past the turn's end.</summary>
        public bool Going => !Down && TimeProvider.System.GetUtcNow() < until;

        /// <returns>Whether delivery may go on past this event: delivered, or dead-lettered.</returns>
        public async Task<bool> AttemptAsync(EventDeliveryGrain delivery, SessionEvent sessionEvent, bool redelivery, CancellationToken cancellationToken)
        {
            Attempted = true;
            var (outcome, unavailable) = await delivery.AttemptAsync(Target, sessionEvent, redelivery, cancellationToken);
            Unavailable |= unavailable;
            switch (outcome)
            {
                case DeliveryOutcome.Delivered:
                    Delivered = true;
                    return true;
                case DeliveryOutcome.DeadLettered:
                    DeadLettered = true;
                    return true;
                default:
                    Failed = true;
                    return false;
            }
        }
    }
}
