using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Events;

namespace Orleans.Sessions.Api.Events;

/// <summary>The query of the event feed (docs/events.md, "The feed"): <c>after</c>, <c>limit</c>, <c>type</c>, <c>userId</c>.</summary>
public sealed class EventFeedParameters : IValidatable
{
    public const int MaxLimit = 1000;
    public const int DefaultLimit = 100;

    private EventQuery? _query;

    [FromQuery(Name = "after"), Description("The next of an earlier answer of this feed; any other position is refused."), MaxLength(EventCursor.MaxLength), RegularExpression(WirePatterns.Cursor)]
    public string? After { get; set; }

    [FromQuery(Name = "limit"), Range(1, MaxLimit)]
    public string? Limit { get; set; }

    [FromQuery(Name = "type"), EventTypeNames]
    public string? Type { get; set; }

    [FromQuery(Name = "userId"), RegularExpression(WirePatterns.Id)]
    public string? UserId { get; set; }

    public EventQuery Query => _query ?? throw new InvalidOperationException("The feed's query has not been validated.");

    public void Validate(InputErrors errors)
    {
        var limit = InputRules.Integer(errors, "limit", Limit, 1, MaxLimit, DefaultLimit);
        var after = EventPosition.Start;
        if (After is { Length: > 0 } cursor && !EventCursor.TryDecode(cursor, out after))
        {
            errors.Add("after", "'after' is not a position of this feed: use the 'next' of an earlier answer, or start without it.");
        }

        SessionEventType? type = null;
        if (Type is not null)
        {
            if (SessionEventTypes.TryParse(Type, out var parsed))
            {
                type = parsed;
            }
            else
            {
                errors.Add("type", $"'type' must be one of {string.Join(", ", SessionEventTypes.All)}.");
            }
        }

        InputRules.Id(errors, "userId", UserId, required: false);
        _query = new EventQuery { After = after, Limit = limit, Type = type, UserId = UserId };
    }
}
