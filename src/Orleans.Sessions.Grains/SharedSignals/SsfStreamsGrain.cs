using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Sessions.Deliveries;
using Orleans.Sessions.Storage;

namespace Orleans.Sessions.SharedSignals;

[GenerateSerializer, Alias("sessions.SsfStreamsState")]
public sealed class SsfStreamsState
{
    [Id(0)]
    public List<SsfStream> Streams { get; set; } = [];
}

/// <summary>
/// A tenant's Shared Signals streams (docs/shared-signals.md, "Streams"): each belongs to the receiver (the key's name,
/// its <c>aud</c>) that made it, which alone sees and changes it. A push stream has a delivery (<see cref="IEventDeliveryGrain"/>,
/// key <c>tenant/st_…</c>) that follows the event log; this grain starts and stops it and lists it in the cluster's
/// <see cref="IDeliveryRegistryGrain"/>. A poll stream has a <see cref="ISsfPollGrain"/> (same key) that reads the log
/// when polled; this grain gives it its starting position and clears it.
/// </summary>
[GrainType("ssfstreams")] // Part of every stored key: pinned.
public sealed partial class SsfStreamsGrain(
    [PersistentState("ssf-streams", SessionsStorage.Name)] IPersistentState<SsfStreamsState> state,
    [FromKeyedServices(SessionsClock.Key)] TimeProvider clock,
    IHttpClientFactory http,
    Events.IEventLog log,
    ILogger<SsfStreamsGrain> logger) : Grain, ISsfStreamsGrain
{
    /// <summary>When each stream last asked for a verification (real time; kept in memory: a new activation allows one at once).</summary>
    private readonly Dictionary<string, DateTimeOffset> _verified = new(StringComparer.Ordinal);

    private string Tenant => this.GetPrimaryKeyString();

    private List<SsfStream> Streams => state.State.Streams;

    public async Task<SsfStream?> CreateAsync(string audience, string issuer, SsfStreamSpec spec)
    {
        if (Streams.Count >= SsfStream.MaxPerTenant)
        {
            return null;
        }

        var id = SsfStream.IdPrefix + System.Ulid.NewUlid(clock.GetUtcNow());
        var poll = spec.Method == SsfDeliveryMethod.Poll;
        var stream = new SsfStream
        {
            Id = id,
            Audience = audience,
            Issuer = issuer,
            Method = spec.Method,
            EndpointUrl = poll ? SsfStream.PollUrl(issuer, id) : spec.EndpointUrl ?? throw new ArgumentException("A push stream needs an endpoint.", nameof(spec)),
            AuthorizationHeader = poll ? null : spec.AuthorizationHeader,
            EventsRequested = spec.EventsRequested ?? [],
            Description = spec.Description,
            CreatedAt = clock.GetUtcNow(),
        };
        // The stream's position is taken before it is listed: the first poll gets everything from its creation on.
        if (poll)
        {
            await PollOf(id).StartAsync();
        }

        Streams.Add(stream);
        await state.WriteStateAsync();
        if (!poll)
        {
            await DeliveryLifecycle.StartAsync(GrainFactory, Tenant, stream.Id);
        }

        return stream;
    }

    public Task<ImmutableArray<SsfStream>> ListAsync(string audience) =>
        Task.FromResult(Streams.Where(s => s.Audience == audience).ToImmutableArray());

    public Task<ImmutableArray<SsfStream>> ListAllAsync() => Task.FromResult(Streams.ToImmutableArray());

    public Task<SsfStream?> GetAsync(string audience, string id) => Task.FromResult(Get(audience, id));

    public Task<SsfStream?> FindAsync(string id) => Task.FromResult(Streams.Find(s => s.Id == id));

    public Task<SsfStream?> UpdateAsync(string audience, string id, SsfStreamSpec spec, bool replace) =>
        ChangeAsync(audience, id, stream => stream.Method == SsfDeliveryMethod.Poll ? stream with
        {
            EventsRequested = spec.EventsRequested ?? (replace ? [] : stream.EventsRequested),
            Description = spec.Description ?? (replace ? null : stream.Description),
        } : stream with
        {
            EndpointUrl = spec.EndpointUrl ?? stream.EndpointUrl,
            AuthorizationHeader = spec.AuthorizationHeader ?? (replace ? null : stream.AuthorizationHeader),
            EventsRequested = spec.EventsRequested ?? (replace ? [] : stream.EventsRequested),
            Description = spec.Description ?? (replace ? null : stream.Description),
        });

    public async Task<bool> DeleteAsync(string audience, string id)
    {
        if (Get(audience, id) is not { } stream)
        {
            return false;
        }

        Streams.Remove(stream);
        await state.WriteStateAsync();
        if (stream.Method == SsfDeliveryMethod.Poll)
        {
            await PollOf(id).StopAsync();
        }
        else
        {
            await DeliveryLifecycle.StopAsync(GrainFactory, Tenant, id);
        }

        return true;
    }

    public async Task<SsfStream?> SetStatusAsync(string audience, string id, SsfStreamStatus status, string? reason)
    {
        if (Get(audience, id) is not { } stream)
        {
            return null;
        }

        // Leaving "disabled": everything stored until now was to be dropped, whenever the delivery gets to look at it.
        var droppedThrough = stream.Status == SsfStreamStatus.Disabled && status != SsfStreamStatus.Disabled
            ? await log.EndAsync(Tenant, CancellationToken.None)
            : stream.DroppedThrough;
        return await ChangeAsync(audience, id, s => s with { Status = status, StatusReason = reason, DroppedThrough = droppedThrough });
    }

    public Task<SsfStream?> SubjectAsync(string audience, string id, SsfSubject subject, bool add) =>
        ChangeAsync(audience, id, stream => stream with
        {
            Removed = add ? stream.Removed.Remove(subject) : stream.Removed.Contains(subject) ? stream.Removed : stream.Removed.Add(subject),
        });

    public async Task<VerificationOutcome> VerifyAsync(string audience, string id, string? state)
    {
        if (Get(audience, id) is not { } stream)
        {
            return VerificationOutcome.NoSuchStream;
        }

        var now = TimeProvider.System.GetUtcNow();
        if (_verified.TryGetValue(id, out var last) && now - last < SsfStream.MinVerificationInterval)
        {
            return VerificationOutcome.TooSoon;
        }

        _verified[id] = now;
        var token = await GrainFactory.GetGrain<Keys.ISigningKeysGrain>(Tenant).SignAsync(SecurityEventToken.Type, SecurityEventToken.Verification(stream, state, now));

        // Sent after the answer, off the grain's turn: a slow receiver holds no one here.
        var tenant = Tenant;
        _ = Task.Run(async () =>
        {
            try
            {
                using var post = SsfPushReceivers.Request(stream, token);
                using var client = http.CreateClient(EventDeliveryGrain.HttpClientName);
                using var response = await client.SendAsync(post);
                LogVerification(tenant, id, (int)response.StatusCode);
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or TimeoutException or Polly.Timeout.TimeoutRejectedException)
            {
                LogVerificationFailed(exception, tenant, id);
            }
        });
        return VerificationOutcome.Sent;
    }

    public async Task SetFailingAsync(string id, DateTimeOffset? since)
    {
        var index = Streams.FindIndex(s => s.Id == id);
        if (index >= 0 && (Streams[index].FailingSince is null) != (since is null))
        {
            Streams[index] = Streams[index] with { FailingSince = since };
            await state.WriteStateAsync();
        }
    }

    private async Task<SsfStream?> ChangeAsync(string audience, string id, Func<SsfStream, SsfStream> change)
    {
        if (Get(audience, id) is not { } stream)
        {
            return null;
        }

        var changed = change(stream);
        Streams[Streams.IndexOf(stream)] = changed;
        await state.WriteStateAsync();
        return changed;
    }

    private ISsfPollGrain PollOf(string id) => GrainFactory.GetGrain<ISsfPollGrain>(DeliveryKey.Of(Tenant, id));

    private SsfStream? Get(string audience, string id) => Streams.Find(s => s.Id == id && s.Audience == audience);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shared Signals stream {Tenant}/{StreamId}: verification answered {Status}")]
    private partial void LogVerification(string tenant, string streamId, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shared Signals stream {Tenant}/{StreamId}: verification could not be sent")]
    private partial void LogVerificationFailed(Exception exception, string tenant, string streamId);
}
