using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Orleans.Sessions.Api.Canonical;
using Orleans.Sessions.Api.MonoCloud;
using Orleans.Sessions.Api.RocketChat;
using Orleans.Sessions.Api.WorkOs;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api;

/// <summary>
/// Examples in the OpenAPI document: one session — signed on in London from Chrome on Windows, used since from a second
/// address — as each surface shows it, made by that surface's own mapping and written by the API's JSON options, so an
/// example is what the service would answer; and the sign-on body that made it.
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
            new GeoLocation(SignedOnAt.AddMinutes(42), "81.2.69.142", "London", "England", "United Kingdom", "GB", 51.5142, -0.0931),
            new GeoLocation(SignedOnAt, "81.2.69.160", "London", "England", "United Kingdom", "GB", 51.5142, -0.0931),
        ],
        CreationIp = "81.2.69.160",
    };

    private static readonly Dictionary<Type, Func<object>> Examples = new()
    {
        [typeof(SignOnRequest)] = () => new SignOnRequest(
            "81.2.69.160", Example.Device.UserAgent, null, "password", "web", "login.acme.example", null, null, null, "ada.lovelace", "Ada Lovelace", null, null, null),
        [typeof(SessionResponse)] = () => Example.ToResponse(),
        [typeof(SignOnResponse)] = () => new SignOnResponse(Example.ToResponse(), "sst_acme.ada.lovelace.01KAQ6S8V1M4ZC3T7B2N9XWD5E.kq3V9xY2mPzR8tLw"),
        [typeof(WorkOsSession)] = () => WorkOsApi.ToSession(Example),
        [typeof(RocketChatSession)] = () => RocketChatApi.ToSession(Example),
        [typeof(MonoCloudSession)] = () => MonoCloudApi.ToSession(Example.Tenant, Example),
    };

    public static Task DescribeAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (Examples.TryGetValue(context.JsonTypeInfo.Type, out var make))
        {
            schema.Examples = [JsonSerializer.SerializeToNode(make(), context.JsonTypeInfo)!];
        }

        return Task.CompletedTask;
    }
}
