using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Collections.Immutable;
using Orleans.Sessions.Api.Events;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Events;
using Orleans.Sessions.Webhooks;

namespace Orleans.Sessions.Api.Webhooks;

/// <summary>A secret rotation (body optional): how long the replaced secret keeps signing, 0 – 7 days, default a day.</summary>
[RequestContract]
public sealed record WebhookRotation([property: Range(0, WebhookRotation.MaxOverlapSeconds)] long? OverlapSeconds) : IOptionalBody<WebhookRotation>
{
    public const long MaxOverlapSeconds = 7 * 86_400;

    private static readonly TimeSpan DefaultOverlap = TimeSpan.FromDays(1);

    private TimeSpan? _overlap;

    [System.Text.Json.Serialization.JsonIgnore]
    public TimeSpan Overlap => _overlap ?? throw new InvalidOperationException("The rotation has not been validated.");

    public static WebhookRotation Empty() => new(OverlapSeconds: null);

    public void Validate(InputErrors errors) =>
        _overlap = InputRules.Seconds(errors, "overlapSeconds", OverlapSeconds, 0, MaxOverlapSeconds) ?? DefaultOverlap;
}

/// <summary>
/// A webhook registration (<c>POST</c>) or update (<c>PATCH</c>, every member optional): <c>url</c> absolute http(s), at
/// most 2,048 characters, not on a private network unless allowed; <c>eventTypes</c> known type names, none meaning
/// every type; <c>description</c> at most 256 characters.
/// </summary>
[RequestContract]
public sealed record WebhookRequest(
    [property: MaxLength(WebhookRequest.MaxUrlLength), Url, RegularExpression(WirePatterns.HttpUrl)] string? Url,
    [property: EventTypeNames] string[]? EventTypes,
    bool? Enabled,
    [property: MaxLength(WebhookRequest.MaxDescriptionLength), RegularExpression(WirePatterns.Text)] string? Description)
{
    public const int MaxUrlLength = 2048;
    public const int MaxDescriptionLength = 256;

    /// <summary>The spec the request asks for, or the errors that refuse it.</summary>
    public async Task<WebhookSpec?> ToSpecAsync(InputErrors errors, bool create, bool allowPrivateNetworks, CancellationToken cancellationToken)
    {
        if (create && Url is null)
        {
            errors.Add("url", "'url' is required.");
        }

        if (Url is not null)
        {
            await ReceiverUrl.CheckAsync(errors, "url", Url, MaxUrlLength, allowPrivateNetworks, cancellationToken);
        }

        ImmutableArray<SessionEventType>? types = null;
        if (EventTypes is not null)
        {
            var parsed = ImmutableArray.CreateBuilder<SessionEventType>();
            foreach (var name in EventTypes)
            {
                if (SessionEventTypes.TryParse(name, out var type))
                {
                    parsed.Add(type);
                }
                else
                {
                    errors.Add("eventTypes", $"'{name}' is not an event type: use {string.Join(", ", SessionEventTypes.All)}.");
                }
            }

            types = parsed.Distinct().ToImmutableArray();
        }

        InputRules.Text(errors, "description", Description, MaxDescriptionLength);
        return errors.IsEmpty ? new WebhookSpec(Url, types, Enabled, Description) : null;
    }
}

/// <summary>A redelivery: one event by <c>eventId</c>, or the events that occurred in [<c>from</c>, <c>until</c>) — one or the other.</summary>
[RequestContract]
[ExclusiveFields("eventId")]
[ExclusiveFields("from", "until")]
public sealed record WebhookRedelivery([property: RegularExpression(WirePatterns.Id)] string? EventId, DateTimeOffset? From, [property: Description("After from.")] DateTimeOffset? Until) : IValidatable
{
    /// <summary>The selection, its times in UTC (how the event log stores and compares them).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public EventSelection Selection => new() { EventId = EventId, From = From?.ToUniversalTime(), Until = Until?.ToUniversalTime() };

    public void Validate(InputErrors errors)
    {
        if (EventId is not null)
        {
            InputRules.Id(errors, "eventId", EventId);
            if (From is not null || Until is not null)
            {
                errors.Add("eventId", "Give either 'eventId' or 'from' and 'until', not both.");
            }
        }
        else if (From is null || Until is null)
        {
            errors.Add("from", "Give 'eventId', or both 'from' and 'until'.");
        }
        else if (From >= Until)
        {
            errors.Add("until", "'until' must be after 'from'.");
        }
    }
}

/// <summary>How many events a redelivery queued.</summary>
public sealed record WebhookRedeliveryResponse(int Queued);
