using System.Text.Json.Serialization;
using Orleans.Sessions.SharedSignals;

namespace Orleans.Sessions.Api.SharedSignals;

/// <summary>An authorization scheme of the transmitter's metadata.</summary>
public sealed record SsfAuthorizationScheme([property: JsonPropertyName("spec_urn")] string SpecUrn);

/// <summary>The transmitter's configuration metadata (SSF 1.0 §7.1), member names as the specification spells them.</summary>
public sealed record SsfConfigurationResponse(
    [property: JsonPropertyName("spec_version")] string SpecVersion,
    [property: JsonPropertyName("issuer")] string Issuer,
    [property: JsonPropertyName("jwks_uri")] string JwksUri,
    [property: JsonPropertyName("delivery_methods_supported")] IReadOnlyList<string> DeliveryMethodsSupported,
    [property: JsonPropertyName("configuration_endpoint")] string ConfigurationEndpoint,
    [property: JsonPropertyName("status_endpoint")] string StatusEndpoint,
    [property: JsonPropertyName("add_subject_endpoint")] string AddSubjectEndpoint,
    [property: JsonPropertyName("remove_subject_endpoint")] string RemoveSubjectEndpoint,
    [property: JsonPropertyName("verification_endpoint")] string VerificationEndpoint,
    [property: JsonPropertyName("authorization_schemes")] IReadOnlyList<SsfAuthorizationScheme> AuthorizationSchemes,
    [property: JsonPropertyName("default_subjects")] string DefaultSubjects)
{
    public const string Push = "urn:ietf:rfc:8935";
    public const string Poll = "urn:ietf:rfc:8936";

    /// <summary>The URN of a delivery method.</summary>
    public static string Urn(SsfDeliveryMethod method) => method == SsfDeliveryMethod.Poll ? Poll : Push;

    public static SsfConfigurationResponse For(string issuer) => new(
        "1_0", issuer, issuer + "/.well-known/jwks.json", [Push, Poll], issuer + "/ssf/streams", issuer + "/ssf/status",
        issuer + "/ssf/subjects/add", issuer + "/ssf/subjects/remove", issuer + "/ssf/verify",
        [new SsfAuthorizationScheme("urn:ietf:rfc:6750")], "ALL");
}

/// <summary>
/// How a stream's SETs are delivered, as the stream configuration shows it: pushed to the receiver's <c>endpoint_url</c>
/// (its authorization header is never shown), or polled at the transmitter's.
/// </summary>
public sealed record SsfDeliveryResponse(
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("endpoint_url")] string EndpointUrl);

/// <summary>A stream's configuration (SSF 1.0 §8.1.1).</summary>
public sealed record SsfStreamResponse(
    [property: JsonPropertyName("stream_id")] string StreamId,
    [property: JsonPropertyName("iss")] string Iss,
    [property: JsonPropertyName("aud")] string Aud,
    [property: JsonPropertyName("events_supported")] IReadOnlyList<string> EventsSupported,
    [property: JsonPropertyName("events_requested")] IReadOnlyList<string> EventsRequested,
    [property: JsonPropertyName("events_delivered")] IReadOnlyList<string> EventsDelivered,
    [property: JsonPropertyName("delivery")] SsfDeliveryResponse Delivery,
    [property: JsonPropertyName("min_verification_interval")] int MinVerificationInterval,
    [property: JsonPropertyName("description")] string? Description)
{
    public static SsfStreamResponse From(SsfStream s) => new(
        s.Id, s.Issuer, s.Audience, CaepEvents.Supported, s.EventsRequested, s.EventsDelivered,
        new SsfDeliveryResponse(SsfConfigurationResponse.Urn(s.Method), s.EndpointUrl), (int)SsfStream.MinVerificationInterval.TotalSeconds, s.Description);
}

/// <summary>A stream's status (SSF 1.0 §8.1.2).</summary>
public sealed record SsfStatusResponse(
    [property: JsonPropertyName("stream_id")] string StreamId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("reason")] string? Reason)
{
    public static SsfStatusResponse From(SsfStream s) => new(s.Id, SsfStatuses.Name(s.Status), s.StatusReason);
}

/// <summary>The status names of the specification.</summary>
public static class SsfStatuses
{
    public static string Name(SsfStreamStatus status) => status switch
    {
        SsfStreamStatus.Enabled => "enabled",
        SsfStreamStatus.Paused => "paused",
        _ => "disabled",
    };

    public static bool TryParse(string? name, out SsfStreamStatus status)
    {
        (var known, status) = name switch
        {
            "enabled" => (true, SsfStreamStatus.Enabled),
            "paused" => (true, SsfStreamStatus.Paused),
            "disabled" => (true, SsfStreamStatus.Disabled),
            _ => (false, SsfStreamStatus.Enabled),
        };
        return known;
    }
}
