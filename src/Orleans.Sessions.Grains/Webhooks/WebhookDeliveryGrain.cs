using System.Collections.Immutable;
using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Sessions.Events;
using Orleans.Sessions.Storage;
using Orleans.Storage;

namespace Orleans.Sessions.Webhooks;

/// <summary>Where one endpoint's deliveries stand: the log position delivered up to, the retry of the head event, the log of attempts.</summary>
[GenerateSerializer, Alias("sessions.WebhookDeliveryState")]
public sealed class WebhookDeliveryState
{
    [Id(0)]
    public EventPosition Position { get; set; }

    /// <summary>Null until the first run: a new endpoint starts at the log's end, not its beginning.</summary>
    [Id(1)]
    public bool Started { get; set; }

    [Id(2)]
    public bool Stopped { get; set; }

    /// <summary>The newest attempts, newest last, at most <see cref="WebhookDeliveryGrain.LogLength"/>.</summary>
    [Id(3)]
    public List<WebhookAttempt> Attempts { get; set; } = [];

    /// <summary>Events asked to be delivered again (stored JSON), oldest first; delivered before what is new in the log.</summary>
    [Id(4)]
    public List<byte[]> Redeliveries { get; set; } = [];
}

/// <summary>
/// Follows the tenant's event log for one endpoint (docs/webhooks.md, "Delivery"): every <see cref="WebhooksOptions.PollInterval"/>
/// it reads what is new after its position and posts the events the endpoint wants, one at a time, in log order — so
/// a user's events arrive in order. A failed delivery holds this endpoint (and only this one) and is retried with
/// exponential backoff and jitter; after <see cref="WebhooksOptions.RetryFor"/> the event is dead-lettered, the endpoint
/// marked failing, and delivery goes on. The position is stored after each batch: delivery is at least once.
/// </summary>
[GrainType("webhookdelivery")] // Part of the stored key: pinned.
public sealed partial class WebhookDeliveryGrain(
    [PersistentState("webhook-delivery", SessionsStorage.Name)] IPersistentState<WebhookDeliveryState> state,
    IEventLog log,
    IGrainStorageSerializer serializer,
    IWebhookPayloadWriter payloads,
    IHttpClientFactory http,
    IOptions<WebhooksOptions> options,
    WebhookMetrics metrics,
    ILogger<WebhookDeliveryGrain> logger) : Grain, IWebhookDeliveryGrain
{
    public const string HttpClientName = "webhooks";
    public const int LogLength = 200;
    private const int Batch = 100;

    private readonly WebhooksOptions _options = options.Value;

    /// <summary>Retries, backoff and the signature's timestamp run on real time, not on session time (which tests move).</summary>
    private readonly TimeProvider _clock = TimeProvider.System;
    private string _tenant = "";
    private string _endpointId = "";
    private IGrainTimer? _timer;
    private DateTimeOffset _retryAt;
    private DateTimeOffset? _firstFailure;
    private int _attempt;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var slash = key.LastIndexOf('/');
        (_tenant, _endpointId) = (key[..slash], key[(slash + 1)..]);
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
            // A new endpoint receives what happens from now on: start at the end of the log.
            state.State.Position = await log.EndAsync(_tenant, CancellationToken.None);
            state.State.Started = true;
            await state.WriteStateAsync();
        }

        _timer = this.RegisterGrainTimer(DeliverAsync, new GrainTimerCreationOptions(TimeSpan.Zero, _options.PollInterval) { KeepAlive = true });
    }

    public Task<ImmutableArray<WebhookAttempt>> LogAsync(int limit) =>
        Task.FromResult(state.State.Attempts.AsEnumerable().Reverse().Take(limit).ToImmutableArray());

    public async Task<int> RedeliverAsync(EventSelection selection)
    {
        var endpoint = await GrainFactory.GetGrain<IWebhookEndpointsGrain>(_tenant).GetAsync(_endpointId);
        if (endpoint is null)
        {
            return 0;
        }

        var room = EventSelection.MaxEvents - state.State.Redeliveries.Count;
        var rows = await log.FindAsync(_tenant, selection with { Limit = Math.Min(selection.Limit, Math.Max(room, 0)) }, CancellationToken.None);
        var wanted = rows.Where(row => endpoint.Wants(serializer.Deserialize<SessionEvent>(new BinaryData(row.Payload))!.Type)).Select(row => row.Payload).ToList();
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
        if (_clock.GetUtcNow() < _retryAt)
        {
            return;
        }

        var page = await log.ReadAsync(_tenant, new EventQuery { After = state.State.Position, Limit = Batch }, cancellationToken);
        if (page.Count == 0 && state.State.Redeliveries.Count == 0)
        {
            metrics.Behind(this.GetPrimaryKeyString(), 0, null);
            return;
        }

        if (await GrainFactory.GetGrain<IWebhookEndpointsGrain>(_tenant).TargetAsync(_endpointId) is not var (endpoint, secrets))
        {
            await StopAsync();
            return;
        }

        if (!endpoint.Enabled)
        {
            // Held where it is: a disabled endpoint gets what happened meanwhile once enabled again. Not a backlog to
            // alert on: someone chose it.
            metrics.Behind(this.GetPrimaryKeyString(), 0, null);
            return;
        }

        var redelivered = false;
        while (state.State.Redeliveries.Count > 0)
        {
            var again = serializer.Deserialize<SessionEvent>(new BinaryData(state.State.Redeliveries[0]))!;
            if (!await TryDeliverAsync(endpoint, secrets, again, cancellationToken))
            {
                ReportBehind(page, 0);
                return;
            }

            state.State.Redeliveries.RemoveAt(0);
            redelivered = true;
        }

        var before = state.State.Position;
        var done = 0;
        foreach (var (position, payload) in page)
        {
            var sessionEvent = serializer.Deserialize<SessionEvent>(new BinaryData(payload))!;
            if (endpoint.Wants(sessionEvent.Type) && !await TryDeliverAsync(endpoint, secrets, sessionEvent, cancellationToken))
            {
                break;
            }

            state.State.Position = position;
            done++;
        }

        ReportBehind(page, done);

        if (state.State.Position != before || redelivered)
        {
            await state.WriteStateAsync(cancellationToken);
        }
    }

    /// <summary>The backlog gauges: what is left of the page read (and of the redeliveries), and when the first of it occurred.</summary>
    private void ReportBehind(IReadOnlyList<(EventPosition Position, byte[] Payload)> page, int done)
    {
        var left = page.Count - done;
        var oldest = left > 0 ? serializer.Deserialize<SessionEvent>(new BinaryData(page[done].Payload))!.OccurredAt : (DateTimeOffset?)null;
        metrics.Behind(this.GetPrimaryKeyString(), left + state.State.Redeliveries.Count, oldest);
    }

    /// <returns>Whether delivery may go on past this event: delivered, or dead-lettered.</returns>
    private async Task<bool> TryDeliverAsync(WebhookEndpoint endpoint, ImmutableArray<string> secrets, SessionEvent sessionEvent, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var (status, error, latency) = await PostAsync(endpoint.Url, secrets, sessionEvent, cancellationToken);
        _attempt++;
        if (status is >= 200 and < 300)
        {
            Record(sessionEvent, now, status, latency, null, WebhookOutcome.Delivered);
            (_attempt, _firstFailure) = (0, null);
            if (endpoint.FailingSince is not null)
            {
                await GrainFactory.GetGrain<IWebhookEndpointsGrain>(_tenant).SetFailingAsync(_endpointId, null);
            }

            return true;
        }

        _firstFailure ??= now;
        if (now - _firstFailure >= _options.RetryFor)
        {
            Record(sessionEvent, now, status, latency, error, WebhookOutcome.DeadLettered);
            LogDeadLettered(_tenant, _endpointId, sessionEvent.Id, _attempt);
            (_attempt, _firstFailure) = (0, null);
            await GrainFactory.GetGrain<IWebhookEndpointsGrain>(_tenant).SetFailingAsync(_endpointId, now);
            return true;
        }

        Record(sessionEvent, now, status, latency, error, WebhookOutcome.Retrying);
        _retryAt = now + Backoff(_attempt);
        await state.WriteStateAsync(cancellationToken); // The attempt shows in the delivery log even if nothing else moves.
        return false;
    }

    private async Task<(int? Status, string? Error, TimeSpan Latency)> PostAsync(string url, ImmutableArray<string> secrets, SessionEvent sessionEvent, CancellationToken cancellationToken)
    {
        var body = payloads.Write(sessionEvent);
        var timestamp = _clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("webhook-id", sessionEvent.Id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(secrets, sessionEvent.Id, timestamp, body));
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

    private void Record(SessionEvent sessionEvent, DateTimeOffset at, int? status, TimeSpan latency, string? error, WebhookOutcome outcome)
    {
        metrics.Attempted(outcome, latency);
        var attempts = state.State.Attempts;
        attempts.Add(new WebhookAttempt(sessionEvent.Id, sessionEvent.Type, at, _attempt, status, latency, error, outcome));
        if (attempts.Count > LogLength)
        {
            attempts.RemoveRange(0, attempts.Count - LogLength);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Tenant}/{EndpointId}: event {EventId} dead-lettered after {Attempts} attempts; the endpoint is marked failing")]
    private partial void LogDeadLettered(string tenant, string endpointId, string eventId, int attempts);
}
