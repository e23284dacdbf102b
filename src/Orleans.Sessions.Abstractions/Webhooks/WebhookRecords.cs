using System.Collections.Immutable;
using Orleans.Sessions.Events;

namespace Orleans.Sessions.Webhooks;

/// <summary>
/// A tenant's webhook endpoint (docs/webhooks.md): where events go, which types (none listed: every type), whether it is
/// on, and whether deliveries to it are failing (an event was dead-lettered after retrying for the whole window).
/// </summary>
[GenerateSerializer, Immutable, Alias("sessions.WebhookEndpoint")]
public sealed record WebhookEndpoint
{
    /// <summary>Endpoints a tenant may have.</summary>
    public const int MaxPerTenant = 50;

    /// <summary>How every endpoint's id begins (its delivery is told apart from other receivers' by it).</summary>
    public const string IdPrefix = "ep_";

    [Id(0)] public required string Id { get; init; }

    [Id(1)] public required string Url { get; init; }

    [Id(2)] public ImmutableArray<SessionEventType> EventTypes { get; init; } = [];

    [Id(3)] public bool Enabled { get; init; } = true;

    [Id(4)] public string? Description { get; init; }

    [Id(5)] public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Set when an event was dead-lettered; cleared by the next successful delivery.</summary>
    [Id(6)] public DateTimeOffset? FailingSince { get; init; }

    public bool Wants(SessionEventType type) => EventTypes.IsDefaultOrEmpty || EventTypes.Contains(type);
}

/// <summary>What a registration or an update asks for; null members of an update leave the endpoint as it is.</summary>
[GenerateSerializer, Immutable, Alias("sessions.WebhookSpec")]
public sealed record WebhookSpec(
    [property: Id(0)] string? Url,
    [property: Id(1)] ImmutableArray<SessionEventType>? EventTypes,
    [property: Id(2)] bool? Enabled,
    [property: Id(3)] string? Description);

/// <summary>An endpoint and the secrets that sign its deliveries now, for its delivery grain only.</summary>
[GenerateSerializer, Immutable, Alias("sessions.WebhookTarget")]
public sealed record WebhookTarget([property: Id(0)] WebhookEndpoint Endpoint, [property: Id(1)] ImmutableArray<string> Secrets);

/// <summary>An endpoint and its signing secret (<c>whsec_…</c>): answered once, when made or rotated.</summary>
[GenerateSerializer, Immutable, Alias("sessions.WebhookWithSecret")]
public sealed record WebhookWithSecret([property: Id(0)] WebhookEndpoint Endpoint, [property: Id(1)] string Secret);
