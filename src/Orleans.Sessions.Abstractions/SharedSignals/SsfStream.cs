using System.Collections.Immutable;

namespace Orleans.Sessions.SharedSignals;

/// <summary>Whether a stream delivers (docs/shared-signals.md, "Status").</summary>
public enum SsfStreamStatus
{
    /// <summary>Events are delivered.</summary>
    Enabled = 0,

    /// <summary>Events are held, and delivered once the stream is enabled again.</summary>
    Paused = 1,

    /// <summary>Events are dropped.</summary>
    Disabled = 2,
}

/// <summary>How a stream's SETs reach the receiver (docs/shared-signals.md, "Delivery").</summary>
public enum SsfDeliveryMethod
{
    /// <summary>RFC 8935: the transmitter POSTs each SET to the receiver's endpoint.</summary>
    Push = 0,

    /// <summary>RFC 8936: the receiver polls the transmitter's endpoint and acknowledges what it got.</summary>
    Poll = 1,
}

/// <summary>
/// A subject identifier (RFC 9493) a receiver added to or removed from a stream: <c>opaque</c> (a session id),
/// <c>iss_sub</c> (a user of the tenant's issuer), <c>email</c>, or <c>complex</c> with a <c>session</c> and/or a
/// <c>user</c> member.
/// </summary>
[GenerateSerializer, Immutable, Alias("sessions.SsfSubject")]
public sealed record SsfSubject(
    [property: Id(0)] string Format,
    [property: Id(1)] string? Id = null,
    [property: Id(2)] string? Iss = null,
    [property: Id(3)] string? Sub = null,
    [property: Id(4)] string? Email = null,
    [property: Id(5)] SsfSubject? Session = null,
    [property: Id(6)] SsfSubject? User = null);

/// <summary>
/// A Shared Signals stream (docs/shared-signals.md): to whom (<see cref="Audience"/>), how (push to
/// <see cref="EndpointUrl"/>, or polled there), which CAEP events, whether it delivers now, and the subjects removed from it.
/// </summary>
[GenerateSerializer, Immutable, Alias("sessions.SsfStream")]
public sealed record SsfStream
{
    /// <summary>Streams a tenant may have.</summary>
    public const int MaxPerTenant = 50;

    /// <summary>How often a receiver may ask for a verification event.</summary>
    public static readonly TimeSpan MinVerificationInterval = TimeSpan.FromSeconds(15);

    /// <summary>How every stream's id begins (its delivery is told apart from other receivers' by it).</summary>
    public const string IdPrefix = "st_";

    [Id(0)] public required string Id { get; init; }

    /// <summary>The SETs' <c>aud</c>: the name of the key that made the stream (the receiver).</summary>
    [Id(1)] public required string Audience { get; init; }

    /// <summary>The SETs' <c>iss</c>.</summary>
    [Id(2)] public required string Issuer { get; init; }

    /// <summary>Where pushed SETs go (RFC 8935), or — for a poll stream — the transmitter's endpoint the receiver polls (RFC 8936).</summary>
    [Id(3)] public required string EndpointUrl { get; init; }

    /// <summary>The <c>Authorization</c> header value pushes carry, if the receiver gave one; never shown again.</summary>
    [Id(4)] public string? AuthorizationHeader { get; init; }

    /// <summary>The event type URIs the receiver asked for, as it gave them.</summary>
    [Id(5)] public ImmutableArray<string> EventsRequested { get; init; } = [];

    [Id(6)] public SsfStreamStatus Status { get; init; }

    [Id(7)] public string? StatusReason { get; init; }

    [Id(8)] public string? Description { get; init; }

    [Id(9)] public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Subjects the receiver removed: their sessions' events are not delivered (every other subject's are).</summary>
    [Id(10)] public ImmutableArray<SsfSubject> Removed { get; init; } = [];

    /// <summary>Set when a SET was dead-lettered; cleared by the next successful delivery.</summary>
    [Id(11)] public DateTimeOffset? FailingSince { get; init; }

    /// <summary>
    /// The end of the event log when the stream was last enabled after being disabled: what happened up to there is
    /// dropped, even if its delivery looks at it only after the stream is enabled again.
    /// </summary>
    [Id(12)] public Events.EventPosition? DroppedThrough { get; init; }

    /// <summary>Push (the default of rows stored before poll delivery existed) or poll.</summary>
    [Id(13)] public SsfDeliveryMethod Method { get; init; }

    /// <summary>The requested types this service delivers.</summary>
    public ImmutableArray<string> EventsDelivered => [.. EventsRequested.Where(CaepEvents.Supported.Contains).Distinct()];

    /// <summary>Where the receiver of poll stream <paramref name="id"/> polls: under the tenant's issuer.</summary>
    public static string PollUrl(string issuer, string id) => $"{issuer}/ssf/streams/{id}/poll";
}

/// <summary>
/// What a receiver asks for when it creates, updates or replaces a stream; null members leave what is there (an update)
/// or take the default. <see cref="Method"/> is chosen at creation (push when an endpoint is given); a stream keeps it.
/// </summary>
[GenerateSerializer, Immutable, Alias("sessions.SsfStreamSpec")]
public sealed record SsfStreamSpec(
    [property: Id(0)] string? EndpointUrl,
    [property: Id(1)] string? AuthorizationHeader,
    [property: Id(2)] ImmutableArray<string>? EventsRequested,
    [property: Id(3)] string? Description,
    [property: Id(4)] SsfDeliveryMethod Method = SsfDeliveryMethod.Push);

/// <summary>The CAEP event types a stream can carry, and the SSF verification event.</summary>
public static class CaepEvents
{
    public const string SessionEstablished = "https://schemas.openid.net/secevent/caep/event-type/session-established";
    public const string SessionRevoked = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";
    public const string RiskLevelChange = "https://schemas.openid.net/secevent/caep/event-type/risk-level-change";
    public const string Verification = "https://schemas.openid.net/secevent/ssf/event-type/verification";

    public static ImmutableArray<string> Supported { get; } = [SessionEstablished, SessionRevoked, RiskLevelChange];
}
