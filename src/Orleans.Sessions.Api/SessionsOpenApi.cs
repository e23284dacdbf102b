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
        services.AddOpenApi(DocumentName, options => options.AddDocumentTransformer((document, _, _) =>
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
            return Task.CompletedTask;
        }));

    public static IEndpointRouteBuilder MapSessionsOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(DocumentPath);
        app.MapScalarApiReference(ReferencePath, options => options
            .WithTitle("Orleans.Sessions API reference")
            .WithOpenApiRoutePattern(DocumentPath));
        return app;
    }
}
