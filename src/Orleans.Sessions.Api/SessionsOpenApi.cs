using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Orleans.Sessions.Api;

/// <summary>
/// The OpenAPI document of every surface (<c>/openapi/v1.json</c>) — one tag per surface, so each seed API's paths sit
/// together — and a browsable reference page on it (<c>/docs</c>). Both describe the API and hold no data: they are
/// served without a credential, under the anonymous rate limit.
/// </summary>
public static class SessionsOpenApi
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/{documentName}.json";
    public const string ReferencePath = "/docs";

    public static IServiceCollection AddSessionsOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options => options.AddOperationTransformer(OpenApiSecurity.DescribeAsync).AddOperationTransformer(OpenApiErrors.DescribeAsync).AddOperationTransformer(OpenApiParameterRules.DescribeAsync).AddSchemaTransformer(OpenApiDateTimes.DescribeAsync).AddSchemaTransformer(OpenApiOptionalFields.DescribeAsync).AddSchemaTransformer(OpenApiFieldValues.DescribeAsync).AddSchemaTransformer(OpenApiExclusiveFields.DescribeAsync).AddSchemaTransformer(OpenApiSubjectFormats.DescribeAsync).AddSchemaTransformer(OpenApiDeliveryMethods.DescribeAsync).AddSchemaTransformer(OpenApiMetadata.DescribeAsync).AddSchemaTransformer(OpenApiProblemExtensions.DescribeAsync).AddSchemaTransformer(OpenApiExamples.DescribeAsync).AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Orleans.Sessions",
                Version = DocumentName,
                Description = "Where every user is signed in, and ending those sessions: the canonical API (docs/api.md), the "
                    + "end user's own routes, and the Symphony, PingOne, WorkOS, Rocket.Chat and MonoCloud session APIs at their own "
                    + "paths (docs/compatibility.md). Credentials: Authorization: Bearer <API key or session token>; Symphony "
                    + "sessionToken; Rocket.Chat X-User-Id + X-Auth-Token; MonoCloud X-API-KEY.",
            };
            foreach (var server in document.Servers ?? [])
            {
                server.Url = server.Url?.TrimEnd('/'); // The paths begin with one.
            }

            foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
            {
                tag.Description = tag.Name is { } name && TagDescriptions.TryGetValue(name, out var description) ? description : tag.Description;
            }

            return Task.CompletedTask;
        }));

    /// <summary>What each surface's tag holds (docs/api.md, docs/compatibility.md).</summary>
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["User sessions"] = "A user's sessions: sign-on, re-authentication, activity, sign-out, revoke (docs/api.md).",
        ["My sessions"] = "The end user's own sessions, with their session token (docs/api.md).",
        ["Directory"] = "Every active session of a tenant: list-all with filters, sorts and keyset pages, and counts (docs/api.md).",
        ["Events"] = "The tenant's session events as a feed resumable from a cursor (docs/events.md).",
        ["Webhooks"] = "Webhook endpoints, their secrets, redelivery and delivery logs (docs/events.md).",
        ["Symphony Pod API"] = "Symphony's session routes at their own paths (docs/compatibility.md).",
        ["PingOne"] = "PingOne's session routes at their own paths (docs/compatibility.md).",
        ["WorkOS"] = "WorkOS' session routes at their own paths (docs/compatibility.md).",
        ["Rocket.Chat"] = "Rocket.Chat's session routes at their own paths (docs/compatibility.md).",
        ["MonoCloud"] = "MonoCloud's session routes at their own paths (docs/compatibility.md).",
    };

    public static IEndpointRouteBuilder MapSessionsOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(DocumentPath);
        app.MapScalarApiReference(ReferencePath, options => options
            .WithTitle("Orleans.Sessions API reference")
            .WithOpenApiRoutePattern(DocumentPath));
        return app;
    }
}
