using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.SharedSignals;

namespace Orleans.Sessions.Api.SharedSignals;

/// <summary>
/// How a receiver wants SETs delivered: push (RFC 8935) to its endpoint, with its authorization header; or poll (RFC
/// 8936) at the transmitter's endpoint, which the stream then shows.
/// </summary>
public sealed record SsfDeliveryRequest(
    [property: JsonPropertyName("method"), AllowedValues(SsfConfigurationResponse.Push, SsfConfigurationResponse.Poll), Description("Push (urn:ietf:rfc:8935) needs endpoint_url; for poll (urn:ietf:rfc:8936) the endpoint is the transmitter's, and endpoint_url and authorization_header are not looked at.")] string? Method,
    [property: JsonPropertyName("endpoint_url"), MaxLength(SsfRules.MaxUrlLength), Url, RegularExpression(WirePatterns.HttpUrl)] string? EndpointUrl,
    [property: JsonPropertyName("authorization_header"), MaxLength(SsfRules.MaxHeaderLength), RegularExpression(WirePatterns.Text), Description("Sent as the Authorization header of every push; never shown again.")] string? AuthorizationHeader);

/// <summary>
/// A stream's creation (<c>POST</c>: without <c>delivery</c>, a poll stream), update (<c>PATCH</c>: <c>stream_id</c> and what
/// changes) or replacement (<c>PUT</c>: <c>stream_id</c> and every receiver-supplied member; one left out is cleared).
/// </summary>
[RequestContract]
public sealed record SsfStreamRequest(
    [property: JsonPropertyName("stream_id"), RegularExpression(WirePatterns.Id)] string? StreamId,
    [property: JsonPropertyName("delivery")] SsfDeliveryRequest? Delivery,
    [property: JsonPropertyName("events_requested"), MaxLength(SsfRules.MaxEvents)] string[]? EventsRequested,
    [property: JsonPropertyName("description"), MaxLength(SsfRules.MaxTextLength), RegularExpression(WirePatterns.Text)] string? Description)
{
    private System.Collections.Immutable.ImmutableArray<string>? Events => EventsRequested is null ? null : [.. EventsRequested];

    /// <summary>What the request asks for, or the errors that refuse it.</summary>
    /// <param name="errors">Where refusals are told.</param>
    /// <param name="creating">A creation: no stream id, a delivery required.</param>
    /// <param name="allowPrivateNetworks">Whether the push endpoint may be on a private network.</param>
    /// <param name="cancellationToken">The request's.</param>
    public async Task<SsfStreamSpec?> ToSpecAsync(InputErrors errors, bool creating, bool allowPrivateNetworks, CancellationToken cancellationToken)
    {
        if (!creating) // A new stream's id is the transmitter's to give: one sent with a creation is not looked at.
        {
            SsfRules.StreamId(errors, StreamId);
        }

        var method = SsfDeliveryMethod.Poll; // A creation without 'delivery': the transmitter chooses, and polling needs nothing of the receiver.
        if (Delivery is { Method: SsfConfigurationResponse.Push } push)
        {
            method = SsfDeliveryMethod.Push;
            if (push.EndpointUrl is null)
            {
                errors.Add("delivery.endpoint_url", "A push stream needs the receiver's 'endpoint_url'.");
            }
            else
            {
                await ReceiverUrl.CheckAsync(errors, "delivery.endpoint_url", push.EndpointUrl, SsfRules.MaxUrlLength, allowPrivateNetworks, cancellationToken);
            }

            InputRules.Text(errors, "delivery.authorization_header", push.AuthorizationHeader, SsfRules.MaxHeaderLength);
        }
        else if (Delivery is { } delivery && delivery.Method != SsfConfigurationResponse.Poll)
        {
            errors.Add("delivery.method", $"'delivery.method' is push ('{SsfConfigurationResponse.Push}') or poll ('{SsfConfigurationResponse.Poll}').");
        }

        if (EventsRequested is { } events)
        {
            if (events.Length > SsfRules.MaxEvents)
            {
                errors.Add("events_requested", $"At most {SsfRules.MaxEvents} event types.");
            }

            foreach (var type in events)
            {
                InputRules.Text(errors, "events_requested", type, SsfRules.MaxTextLength, required: true);
            }
        }

        InputRules.Text(errors, "description", Description, SsfRules.MaxTextLength);
        return errors.IsEmpty
            ? method == SsfDeliveryMethod.Push
                ? new SsfStreamSpec(Delivery!.EndpointUrl, Delivery.AuthorizationHeader, Events, Description)
                : new SsfStreamSpec(null, null, Events, Description, SsfDeliveryMethod.Poll)
            : null;
    }
}

/// <summary>A stream's new status (SSF 1.0 §8.1.2).</summary>
[RequestContract]
public sealed record SsfStatusRequest(
    [property: JsonPropertyName("stream_id"), Required, RegularExpression(WirePatterns.Id)] string? StreamId,
    [property: JsonPropertyName("status"), Required, AllowedValues("enabled", "paused", "disabled")] string? Status,
    [property: JsonPropertyName("reason"), MaxLength(SsfRules.MaxTextLength), RegularExpression(WirePatterns.Text)] string? Reason) : IValidatable
{
    [JsonIgnore]
    public SsfStreamStatus Parsed { get; private set; }

    public void Validate(InputErrors errors)
    {
        SsfRules.StreamId(errors, StreamId);
        if (!SsfStatuses.TryParse(Status, out var status))
        {
            errors.Add("status", "'status' must be enabled, paused or disabled.");
        }

        Parsed = status;
        InputRules.Text(errors, "reason", Reason, SsfRules.MaxTextLength);
    }
}

/// <summary>A simple subject identifier (RFC 9493): <c>opaque</c> with <c>id</c>, <c>iss_sub</c> with <c>iss</c> and <c>sub</c>, <c>email</c> with <c>email</c>.</summary>
public sealed record SsfSimpleSubjectInput(
    [property: JsonPropertyName("format"), Required, AllowedValues("opaque", "iss_sub", "email")] string? Format,
    [property: JsonPropertyName("id"), MaxLength(SsfRules.MaxTextLength), RegularExpression(WirePatterns.Text)] string? Id,
    [property: JsonPropertyName("iss"), MaxLength(SsfRules.MaxUrlLength), RegularExpression(WirePatterns.Text)] string? Iss,
    [property: JsonPropertyName("sub"), MaxLength(SsfRules.MaxTextLength), RegularExpression(WirePatterns.Text)] string? Sub,
    [property: JsonPropertyName("email"), MaxLength(SsfRules.MaxTextLength), RegularExpression(WirePatterns.Text)] string? Email)
{
    /// <summary>The subject, or null with the errors that refuse it.</summary>
    public SsfSubject? ToSubject(InputErrors errors, string field)
    {
        var subject = new SsfSubject(Format ?? "", Id, Iss, Sub, Email);
        switch (Format)
        {
            case "opaque" when Id is { Length: > 0 }:
                return subject with { Iss = null, Sub = null, Email = null };
            case "iss_sub" when Iss is { Length: > 0 } && Sub is { Length: > 0 }:
                return subject with { Id = null, Email = null };
            case "email" when Email is { Length: > 0 }:
                return subject with { Id = null, Iss = null, Sub = null };
            default:
                errors.Add(field, "A subject is {format: opaque, id}, {format: iss_sub, iss, sub} or {format: email, email}.");
                return null;
        }
    }
}

/// <summary>A subject identifier (RFC 9493) as a receiver names it: a simple one, or <c>complex</c> with a <c>session</c> and/or a <c>user</c>.</summary>
public sealed record SsfSubjectInput(
    [property: JsonPropertyName("format"), Required, AllowedValues("opaque", "iss_sub", "email", "complex")] string? Format,
    [property: JsonPropertyName("id"), MaxLength(SsfRules.MaxTextLength), RegularExpression(WirePatterns.Text)] string? Id,
    [property: JsonPropertyName("iss"), MaxLength(SsfRules.MaxUrlLength), RegularExpression(WirePatterns.Text)] string? Iss,
    [property: JsonPropertyName("sub"), MaxLength(SsfRules.MaxTextLength), RegularExpression(WirePatterns.Text)] string? Sub,
    [property: JsonPropertyName("email"), MaxLength(SsfRules.MaxTextLength), RegularExpression(WirePatterns.Text)] string? Email,
    [property: JsonPropertyName("session")] SsfSimpleSubjectInput? Session,
    [property: JsonPropertyName("user")] SsfSimpleSubjectInput? User)
{
    /// <summary>The subject, or null with the errors that refuse it.</summary>
    public SsfSubject? ToSubject(InputErrors errors, string field)
    {
        if (Format != "complex")
        {
            return new SsfSimpleSubjectInput(Format, Id, Iss, Sub, Email).ToSubject(errors, field);
        }

        if (Session is null && User is null)
        {
            errors.Add(field, "A complex subject has a 'session', a 'user', or both.");
            return null;
        }

        var session = Session?.ToSubject(errors, field + ".session");
        var user = User?.ToSubject(errors, field + ".user");
        return errors.IsEmpty ? new SsfSubject("complex", Session: session, User: user) : null;
    }
}

/// <summary>A subject added to or removed from a stream (SSF 1.0 §8.1.3).</summary>
[RequestContract]
public sealed record SsfSubjectRequest(
    [property: JsonPropertyName("stream_id"), Required, RegularExpression(WirePatterns.Id)] string? StreamId,
    [property: JsonPropertyName("subject"), Required] SsfSubjectInput? Subject,
    [property: JsonPropertyName("verified")] bool? Verified) : IValidatable
{
    [JsonIgnore]
    public SsfSubject? Parsed { get; private set; }

    public void Validate(InputErrors errors)
    {
        SsfRules.StreamId(errors, StreamId);
        if (Subject is null)
        {
            errors.Add("subject", "'subject' is required.");
            return;
        }

        Parsed = Subject.ToSubject(errors, "subject");
    }
}

/// <summary>A request for a verification event (SSF 1.0 §8.1.4).</summary>
[RequestContract]
public sealed record SsfVerificationRequest(
    [property: JsonPropertyName("stream_id"), Required, RegularExpression(WirePatterns.Id)] string? StreamId,
    [property: JsonPropertyName("state"), MaxLength(SsfRules.MaxTextLength), RegularExpression(WirePatterns.Text)] string? State) : IValidatable
{
    public void Validate(InputErrors errors)
    {
        SsfRules.StreamId(errors, StreamId);
        InputRules.Text(errors, "state", State, SsfRules.MaxTextLength);
    }
}

/// <summary>What the Shared Signals requests check alike.</summary>
internal static class SsfRules
{
    public const int MaxUrlLength = 2048;
    public const int MaxHeaderLength = 1024;
    public const int MaxTextLength = 256;
    public const int MaxEvents = 20;

    public static void StreamId(InputErrors errors, string? value)
    {
        if (value is null)
        {
            errors.Add("stream_id", "'stream_id' is required.");
        }
        else
        {
            InputRules.Id(errors, "stream_id", value);
        }
    }
}
