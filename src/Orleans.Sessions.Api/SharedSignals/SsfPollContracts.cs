using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.SharedSignals;

namespace Orleans.Sessions.Api.SharedSignals;

/// <summary><c>{issuer}/ssf/streams/{stream_id}/poll</c>: a poll stream's endpoint.</summary>
public sealed class SsfStreamRoute : IValidatable
{
    [FromRoute(Name = "tenant"), RegularExpression(WirePatterns.Id)]
    public string Tenant { get; set; } = "";

    [FromRoute(Name = "stream_id"), RegularExpression(WirePatterns.Id)]
    public string StreamId { get; set; } = "";

    public void Validate(InputErrors errors)
    {
        InputRules.Id(errors, "tenant", Tenant);
        SsfRules.StreamId(errors, StreamId);
    }
}

/// <summary>A SET the receiver could not take: an RFC 8935 error code and a description.</summary>
public sealed record SsfSetErrorInput(
    [property: JsonPropertyName("err"), Required, MaxLength(SsfRules.MaxTextLength), RegularExpression(WirePatterns.Text), Description("An error code of RFC 8935, e.g. invalid_request, invalid_key, invalid_issuer, invalid_audience, authentication_failed, access_denied.")] string? Err,
    [property: JsonPropertyName("description"), MaxLength(SsfRules.MaxTextLength), RegularExpression(WirePatterns.Text)] string? Description);

/// <summary>
/// A poll (RFC 8936 §2.4): SETs acknowledged (<c>ack</c>) or refused (<c>setErrs</c>) — each then forgotten — and how
/// the next ones are wanted. Member names as the RFC spells them.
/// </summary>
[RequestContract]
public sealed record SsfPollRequest(
    [property: JsonPropertyName("maxEvents"), Range(0, int.MaxValue), Description("At most this many SETs in the answer (and never more than 100); 0 only acknowledges. Without it, up to 100.")] int? MaxEvents,
    [property: JsonPropertyName("returnImmediately"), Description("Answer at once even with no SET; without it (or false) the poll waits for one, up to the long-poll timeout (30 s unless configured).")] bool? ReturnImmediately,
    [property: JsonPropertyName("ack"), MaxLength(SsfPollRequest.MaxSettled), Description("The jti of each SET received and processed: never answered again.")] string[]? Ack,
    [property: JsonPropertyName("setErrs"), Description("By jti, the SETs the receiver could not take (at most 1000): never answered again.")] Dictionary<string, SsfSetErrorInput>? SetErrs) : IValidatable
{
    /// <summary>SETs a poll may acknowledge, and refuse, at most.</summary>
    public const int MaxSettled = 1_000;

    /// <summary>SETs one answer carries at most.</summary>
    public const int MaxPerAnswer = 100;

    public void Validate(InputErrors errors)
    {
        if (Ack is { Length: > MaxSettled })
        {
            errors.Add("ack", $"At most {MaxSettled} acknowledgements.");
        }

        if (SetErrs is { } refused)
        {
            if (refused.Count > MaxSettled)
            {
                errors.Add("setErrs", $"At most {MaxSettled} SET errors.");
            }

            foreach (var (jti, error) in refused)
            {
                if (error is null)
                {
                    errors.Add("setErrs", $"The error of '{jti}' is an object with 'err'.");
                    continue;
                }

                InputRules.Text(errors, "setErrs.err", error.Err, SsfRules.MaxTextLength, required: true);
                InputRules.Text(errors, "setErrs.description", error.Description, SsfRules.MaxTextLength);
            }
        }

        if (MaxEvents is < 0)
        {
            errors.Add("maxEvents", "'maxEvents' is 0 or more.");
        }
    }

    /// <summary>The poll as the stream's grain takes it, for the receiver <paramref name="audience"/>.</summary>
    public SsfPoll ToPoll(string audience) => new(
        audience,
        [.. Ack ?? []],
        [.. (SetErrs ?? []).Select(e => new SsfSetError(e.Key, e.Value.Err!, e.Value.Description))],
        Math.Min(MaxEvents ?? MaxPerAnswer, MaxPerAnswer));

    /// <summary>Whether the poll answers at once, SETs or not: asked to, or only acknowledging.</summary>
    [JsonIgnore]
    public bool AnswersAtOnce => ReturnImmediately == true || MaxEvents == 0;
}

/// <summary>A poll's answer (RFC 8936 §2.5): the SETs by jti, and whether more are waiting.</summary>
public sealed record SsfPollResponse(
    [property: JsonPropertyName("sets"), Description("Each SET (a signed JWT, typ secevent+jwt) under its jti, oldest first.")] IReadOnlyDictionary<string, string> Sets,
    [property: JsonPropertyName("moreAvailable"), Description("More SETs wait: poll again without waiting.")] bool MoreAvailable)
{
    public static SsfPollResponse From(SsfPollAnswer answer) => new(answer.Sets.ToDictionary(StringComparer.Ordinal), answer.MoreAvailable);
}
