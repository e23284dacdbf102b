using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Microsoft.AspNetCore.Http;
using Orleans.Sessions.Api.Audit;
using Orleans.Sessions.Api.Backchannel;
using Orleans.Sessions.Api.Canonical;
using Orleans.Sessions.Api.Compat;
using Orleans.Sessions.Api.Deliveries;
using Orleans.Sessions.Api.Events;
using Orleans.Sessions.Api.Jobs;
using Orleans.Sessions.Api.Keys;
using Orleans.Sessions.Api.MonoCloud;
using Orleans.Sessions.Api.PingOne;
using Orleans.Sessions.Api.Policy;
using Orleans.Sessions.Api.RocketChat;
using Orleans.Sessions.Api.SessionDirectory;
using Orleans.Sessions.Api.SharedSignals;
using Orleans.Sessions.Api.Symphony;
using Orleans.Sessions.Api.Webhooks;
using Orleans.Sessions.Api.WorkOs;
using Orleans.Sessions.Audit;
using Orleans.Sessions.Events;
using Orleans.Sessions.Keys;
using Orleans.Sessions.SessionDirectory;
using Orleans.Sessions.SharedSignals;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api;

/// <summary>
/// Examples in the OpenAPI document: one session — signed on in London from Chrome on Windows, used since from a second
/// address — as each surface shows it, made by that surface's own mapping and written by the API's JSON options, so an
/// example is what the service would answer; the same session in lists, list-all, counts and the event feed (with a
/// second one, revoked); a webhook endpoint with its deliveries; and a body for every request.
/// </summary>
internal static class OpenApiExamples
{
    private static readonly DateTimeOffset SignedOnAt = new(2026, 11, 22, 9, 30, 0, TimeSpan.Zero);

    private static readonly Session Example = new()
    {
        Id = "01KAQ6S8V1M4ZC3T7B2N9XWD5E",
        Tenant = "acme",
        UserId = "ada.lovelace",
        Status = SessionStatus.Active,
        CreatedAt = SignedOnAt,
        ActiveAt = SignedOnAt.AddMinutes(42),
        ExpiresAt = SignedOnAt.AddDays(1),
        IdleExpiresAt = SignedOnAt.AddMinutes(72),
        AuthMethod = "password",
        ClientIds = ["web"],
        Host = "login.acme.example",
        Device = new DeviceInfo(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
            new BrowserInfo("Chrome", "131.0.0.0", "131"), new OsInfo("Windows", "10"), "desktop", null, null, "c2f1a9e0d84b7b3e"),
        LastSignOn = new SignOnEvent(SignedOnAt, "81.2.69.160", "password"),
        SignOns = [new SignOnEvent(SignedOnAt, "81.2.69.160", "password")],
        Locations =
        [
            new GeoLocation(SignedOnAt.AddMinutes(42), "81.2.69.142", "London", "England", "United Kingdom", "GB", 51.5142, -0.0931)
            {
                Network = new NetworkInfo { Asn = 2856, Organization = "British Telecommunications PLC", Anonymous = false, Hosting = false },
            },
            new GeoLocation(SignedOnAt, "81.2.69.160", "London", "England", "United Kingdom", "GB", 51.5142, -0.0931),
        ],
        CreationIp = "81.2.69.160",
        Metadata = System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(
            [KeyValuePair.Create("plan", MetadataValue.Of("pro")), KeyValuePair.Create("seats", new MetadataValue(MetadataKind.Number, "5"))]),
        Risk = new SessionRisk([RiskSignals.NewCountry], 30, SignedOnAt.AddMinutes(42)),
    };

    /// <summary>A second session, revoked by the help desk (also the example of a session that is not active).</summary>
    internal static readonly Session Revoked = Example with
    {
        Id = "01KAQ7B3JX8R2V5N6T4M0QKC9H",
        Status = SessionStatus.Revoked,
        EndedAt = SignedOnAt.AddHours(3),
        End = new SessionEnd("helpdesk", "lost laptop"),
    };

    private static readonly DirectoryItem Listed = new(SessionSummary.From(Example), "ada.lovelace", "Ada Lovelace");

    private static readonly WebhookResponse Endpoint = new(
        "ep_01KAQ5Z2W7H3N8C4R6T0MXJ1BD", "https://hooks.acme.example/sessions", ["session.revoked", "session.expired"], true,
        "SIEM", SignedOnAt.AddDays(-30), false, null);

    private static readonly BackchannelClientResponse Client = new(
        "web", "https://app.acme.example/oidc/backchannel-logout", true, "https://sessions.acme.example/v1/tenants/acme", true, "Customer portal",
        SignedOnAt.AddDays(-30), false, null);

    private static readonly SsfStream Stream = new()
    {
        Id = "st_01KAQ5Z9P4D2M7X1C8R3N6TVBH",
        Audience = "siem",
        Issuer = "https://sessions.acme.example/v1/tenants/acme",
        EndpointUrl = "https://siem.acme.example/ssf/events",
        EventsRequested = CaepEvents.Supported,
        Description = "SIEM",
        CreatedAt = SignedOnAt.AddDays(-30),
    };

    /// <summary>Two real RSA 2048 public keys (their private halves were never kept), each named by its RFC 7638 thumbprint.</summary>
    private static readonly PublishedKey[] Keys =
    [
        new("9ErrGqduY8LTBURDAGysiryTsUgY1kmLc6Zc1czDNi4", "RS256", "jFfebSV6bexUPKRaOMqkhFbbX6DZIlkYcWy8e6POGSAi7O2dKBWBNwTqTBJwthWk4wbRdHFFJwXJdcGMHZ9Krl4KZLlq0lyfd5Yfqx5L11HfmYe3-IBwJRaYuEI8lUATb57YJKX5vU7Omsjysozfz3COm9-MGsxEwMw-p1pYAmyR6mDzpJ6r6mHTnZAvxlUaGBtFXng9jDBhZBBEKb5iflTeyYf1J1ASLCeH1XOLhFMlakKXmcTLvMRatruA9V9qhxAo_YtjGscD5aFPiBqh1xShGX7Q15NKOSTSQW9Jv-BzqM-3MHbMZdIskMR3zaSaUsIkg5YwrdvYLmdn8y0nQw", "AQAB", KeyUse.Current, SignedOnAt.AddDays(-60), null),
        new("WA0SABg5W7RunMRhKU-lgoXuZLA1RouguZOsg4KX2rQ", "RS256", "pAWrsywzhJblCQqoT90TLJIaa5jkRIBqP1GVQyEBsGH8wj8YJ3omvQmSYtIvYq4ollB4fc1uO4WOQFdDkvz1BgHuWqTqqBlaMFwuW8Ah6OHd-yFgYuzMb0UN1yeXBQy0ggrH3cdkXh-r6wG_BnR4FnkqRk8BRtRGg42vKOIQPD0f5Bax5hbzk1RSoklFavTogcE_LDpzAiOTpB3a_k7kGCLql_EVeGx-shSnocpC-4uCd9UVt6d3s7MTaggv-njlbKW2bEBRiXfl8Vk2okebIhDMavqrfJE1w10IYeZvZvAcBkSUlBYpRQP193Fd-P1uiDihigc_wSJLflSyPpjAGw", "AQAB", KeyUse.Next, SignedOnAt.AddDays(-60), null),
    ];

    private static readonly SessionEvent Revocation = new("01KAQ7B3JY5C8N1W3F6H9KQ2TZ", SessionEventType.Revoked, Revoked.EndedAt!.Value, Revoked.Tenant, Revoked.UserId, Revoked.Id, Revoked);

    /// <summary>The shape of a SET as a poll answers it: header and claims as the service writes them; the signature is a stand-in.</summary>
    private static string ExampleSet()
    {
        static string Part(object value) => System.Buffers.Text.Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(value));
        var claims = new Dictionary<string, object>
        {
            ["iss"] = Client.Issuer,
            ["aud"] = Stream.Audience,
            ["jti"] = $"{Revocation.Id}.{Stream.Id}",
            ["iat"] = Revocation.OccurredAt.ToUnixTimeSeconds(),
            ["txn"] = Revocation.Id,
            ["sub_id"] = new { format = "complex", session = new { format = "opaque", id = Revoked.Id }, user = new { format = "iss_sub", iss = Client.Issuer, sub = Revoked.UserId } },
            ["events"] = new Dictionary<string, object>
            {
                [CaepEvents.SessionRevoked] = new { event_timestamp = Revocation.OccurredAt.ToUnixTimeSeconds(), initiating_entity = "admin", reason_admin = new { en = "lost laptop" } },
            },
        };
        return $"{Part(new { alg = "RS256", typ = "secevent+jwt", kid = Keys[0].Kid })}.{Part(claims)}.c2lnbmF0dXJl";
    }

    private static readonly Dictionary<Type, Func<object>> Examples = new()
    {
        // Requests.
        [typeof(ReauthenticateRequest)] = () => new ReauthenticateRequest("81.2.69.160", "webauthn", "web", null, null, null),
        [typeof(ActivityRequest)] = () => new ActivityRequest("81.2.69.142", null, "web"),
        [typeof(RevokeRequest)] = () => new RevokeRequest("lost laptop"),
        [typeof(RevokeAllRequest)] = () => new RevokeAllRequest("password changed", Example.Id),
        [typeof(WebhookRequest)] = () => new WebhookRequest(Endpoint.Url, [.. Endpoint.EventTypes], true, Endpoint.Description),
        [typeof(WebhookRotation)] = () => new WebhookRotation(OverlapSeconds: 3_600),
        [typeof(WebhookRedelivery)] = () => new WebhookRedelivery(null, SignedOnAt, SignedOnAt.AddHours(6)),
        [typeof(RocketChatLogoutRequest)] = () => new RocketChatLogoutRequest(Example.Id),
        [typeof(WorkOsRevokeRequest)] = () => new WorkOsRevokeRequest(SessionIdCodec.ToWorkOs(Example.Id)),
        [typeof(KeyRotation)] = () => new KeyRotation(OverlapSeconds: 86_400),
        [typeof(SsfStreamRequest)] = () => new SsfStreamRequest(
            null, new SsfDeliveryRequest(SsfConfigurationResponse.Push, "https://siem.acme.example/ssf/events", "Bearer 8f2c0e1d"), [.. CaepEvents.Supported], "SIEM"),
        [typeof(SsfStatusRequest)] = () => new SsfStatusRequest(Stream.Id, "paused", "maintenance window"),
        [typeof(SsfSubjectRequest)] = () => new SsfSubjectRequest(Stream.Id, new SsfSubjectInput("iss_sub", null, Client.Issuer, Example.UserId, null, null, null), true),
        [typeof(SsfVerificationRequest)] = () => new SsfVerificationRequest(Stream.Id, "VGhpcyBpcyBhbiBleGFtcGxl"),
        [typeof(SsfPollRequest)] = () => new SsfPollRequest(
            10, false, [$"{Revocation.Id}.{Stream.Id}"], new Dictionary<string, SsfSetErrorInput> { [$"01KAQ7C0XB2E5G8J1M4P7S0V3Y.{Stream.Id}"] = new("invalid_audience", "not for us") }),
        [typeof(BackchannelClientRequest)] = () => new BackchannelClientRequest(Client.ClientId, Client.BackchannelLogoutUri, true, null, true, Client.Description),
        [typeof(RevokeByQueryRequest)] = () => new RevokeByQueryRequest("kiosk compromised", true, null),
        [typeof(PolicyRequest)] = () => new PolicyRequest(
            8 * 3_600, 30 * 60, 20, new ActiveSessionLimitInput(5, "endOldest"),
            [new ClientPolicyInput("kiosk", 15 * 60, 5 * 60, new ActiveSessionLimitInput(1, "refuse"))],
            new RiskPolicyInput(true, 30 * 86_400, null, 1_000, null, null, new Dictionary<string, int> { [RiskSignals.NewCountry] = 40 })),
        [typeof(BackchannelClientUpdate)] = () => new BackchannelClientUpdate("https://app.acme.example/oidc/logout", null, null, null, null),

        // Answers: the canonical API, list-all, events and webhooks.
        [typeof(SessionListResponse)] = () => new SessionListResponse([Example.ToResponse(), Revoked.ToResponse()], null),
        [typeof(RevokeAllResponse)] = () => new RevokeAllResponse(1, [Example.Id]),
        [typeof(DirectoryListResponse)] = () => new DirectoryListResponse([DirectoryApi.ToResponse(Example.Tenant, Listed)], 1, null),
        [typeof(DirectoryCountResponse)] = () => new DirectoryCountResponse(
            1, new Dictionary<string, int> { ["active"] = 1 }, new Dictionary<string, int> { ["GB"] = 1 }, new Dictionary<string, int> { ["desktop"] = 1 },
            new Dictionary<string, int> { [RiskSignals.NewCountry] = 1 }, new Dictionary<string, int> { ["password"] = 1 }),
        [typeof(EventFeedResponse)] = () => new EventFeedResponse([EventsApi.ToResponse(Revocation)], EventCursor.Encode(new EventPosition(0, 4_812))),
        [typeof(WebhookResponse)] = () => Endpoint with { Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" },
        [typeof(WebhookListResponse)] = () => new WebhookListResponse([Endpoint]),
        [typeof(WebhookRedeliveryResponse)] = () => new WebhookRedeliveryResponse(3),
        [typeof(SsfConfigurationResponse)] = () => SsfConfigurationResponse.For(Client.Issuer),
        [typeof(SsfStreamResponse)] = () => SsfStreamResponse.From(Stream),
        [typeof(SsfStreamResponse[])] = () => new[] { SsfStreamResponse.From(Stream) },
        [typeof(SsfStatusResponse)] = () => SsfStatusResponse.From(Stream),
        [typeof(SsfPollResponse)] = () => new SsfPollResponse(new Dictionary<string, string> { [$"{Revocation.Id}.{Stream.Id}"] = ExampleSet() }, false),
        [typeof(BackchannelClientResponse)] = () => Client,
        [typeof(BackchannelClientListResponse)] = () => new BackchannelClientListResponse([Client]),
        [typeof(PolicyResponse)] = () => new PolicyResponse(
            8 * 3_600, 30 * 60, 20, new ActiveSessionLimitResponse(5, "endOldest"),
            [new ClientPolicyResponse("kiosk", 15 * 60, 5 * 60, new ActiveSessionLimitResponse(1, "refuse"))],
            3, SignedOnAt.AddDays(-2), "acme-admin",
            new PolicyDefaultsResponse(86_400, 1_800, 50, null, new RiskPolicyResponse(
                true, 90 * 86_400, 90 * 86_400, 900, 300, 1_000,
                RiskSignals.All.Zip([20, 30, 60, 40, 30, 50]).ToDictionary(p => p.First, p => p.Second))),
            new RiskPolicyResponse(true, 30 * 86_400, null, 1_000, null, null, new Dictionary<string, int> { [RiskSignals.NewCountry] = 40 })),
        [typeof(RevokeDryRunResponse)] = () => new RevokeDryRunResponse(
            1, [DirectoryApi.ToResponse(Example.Tenant, Listed)], "cjF8MXxQbDRmN2dKd2VBUmR4bzhqS1RpX2tB"),
        [typeof(JobResponse)] = () => new JobResponse(
            "job_01KAQ8D2F4H6K8M0P2R4T6W8Y0", "revoke-by-query", "running", "kiosk compromised", "helpdesk", SignedOnAt.AddHours(2), null,
            1_204, 800, 790, 10, 0, 32, 64, null),
        [typeof(AuditListResponse)] = () => new AuditListResponse(
            [
                new AuditEntryResponse("01KAQ7B3JY5C8N1W3F6H9KQ2TZ", Revoked.EndedAt!.Value, AuditKinds.Revoke, "helpdesk", Revoked.UserId, Revoked.Id, "lost laptop", null, null),
                new AuditEntryResponse("01KAQ6Z9C2D4F6H8J0K2M4P6R8", Revoked.EndedAt!.Value.AddMinutes(-5), AuditKinds.Admin, "acme-admin", null, null, null, "PutTenantPolicy", "policy"),
            ],
            AuditCursor.Encode(4_812)),
        [typeof(JsonWebKeySetResponse)] = () => new JsonWebKeySetResponse([.. Keys.Select(JsonWebKeyResponse.From)]),
        [typeof(SigningKeysResponse)] = () => new SigningKeysResponse(Client.Issuer, TenantIssuer.JwksUri(Client.Issuer), [.. Keys.Select(SigningKeyResponse.From)]),
        [typeof(DeliveryAttemptsResponse)] = () => new DeliveryAttemptsResponse(
            [new DeliveryAttemptResponse(Revocation.Id, "session.revoked", Revocation.OccurredAt.AddMilliseconds(180), 1, 200, 42.5, null, "delivered")]),

        // Answers of the façades, each by its own mapping.
        [typeof(V1UserSessions)] = () => new V1UserSessions([SymphonyApi.ToV1Session(Example, 349026222344891)]),
        [typeof(SuccessResponse)] = () => SuccessResponse.Ok,
        [typeof(PingOneSessionList)] = () => PingOneApi.ToList([Example], ExampleRequest(), "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6", Example.UserId),
        [typeof(PingOneSession)] = () => PingOneApi.ToList([Example], ExampleRequest(), "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6", Example.UserId).Embedded.Sessions[0],
        [typeof(WorkOsList)] = () => new WorkOsList([WorkOsApi.ToSession(Example)], new WorkOsListMetadata(null, null)),
        [typeof(RocketChatSessionList)] = () => new RocketChatSessionList([RocketChatApi.ToSession(Example)], 1, 1, 0, true),
        [typeof(RocketChatLogoutResponse)] = () => new RocketChatLogoutResponse(Example.Id, true),

        [typeof(SignOnRequest)] = () => new SignOnRequest(
            "81.2.69.160", Example.Device.UserAgent, null, "password", "web", "login.acme.example", null, null, null, "ada.lovelace", "Ada Lovelace", null, null, null, Metadata: new MetadataInput
            {
                ["plan"] = JsonSerializer.SerializeToElement("pro"),
                ["seats"] = JsonSerializer.SerializeToElement(5),
            }),
        [typeof(MetadataPatchInput)] = () => new MetadataPatchInput
        {
            ["plan"] = JsonSerializer.SerializeToElement("enterprise"),
            ["seats"] = JsonSerializer.SerializeToElement<object?>(null),
        },
        [typeof(SessionResponse)] = () => Example.ToResponse(),
        [typeof(SignOnResponse)] = () => new SignOnResponse(Example.ToResponse(), "sst_acme.ada.lovelace.01KAQ6S8V1M4ZC3T7B2N9XWD5E.kq3V9xY2mPzR8tLw"),
        [typeof(WorkOsSession)] = () => WorkOsApi.ToSession(Example),
        [typeof(RocketChatSession)] = () => RocketChatApi.ToSession(Example),
        [typeof(MonoCloudSession)] = () => MonoCloudApi.ToSession(Example.Tenant, Example),
    };

    /// <summary>A request to the service as the examples show its address.</summary>
    private static HttpRequest ExampleRequest() =>
        new DefaultHttpContext { Request = { Scheme = "https", Host = new HostString("sessions.acme.example") } }.Request;

    public static Task DescribeAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (Examples.TryGetValue(context.JsonTypeInfo.Type, out var make))
        {
            schema.Examples = [JsonSerializer.SerializeToNode(make(), context.JsonTypeInfo)!];
        }

        return Task.CompletedTask;
    }
}
