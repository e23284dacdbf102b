using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Orleans.Sessions.Api.Auth;

namespace Orleans.Sessions.Api;

/// <summary>
/// Every error status an operation can answer in the OpenAPI document, each in its surface's own shape and content type
/// (<see cref="ApiSurface.ErrorBody"/>): what its handler declares (<c>ProducesProblem</c>: a session or endpoint not
/// found, a session not active), its input validation as the surface words it (<see cref="ApiSurface.ValidationStatuses"/>),
/// a body that is malformed, too large or not JSON, and — on operations that take a credential — the refusals that come
/// before the handler: 401, 403, 429 and 503 with <c>Retry-After</c>. Each with an example written as the service
/// writes it (<see cref="OpenApiErrorExamples"/>).
/// </summary>
internal static class OpenApiErrors
{
    private static readonly Dictionary<int, string> Descriptions = new()
    {
        [StatusCodes.Status400BadRequest] = "The request is malformed: a parameter or field is not valid (each is named), or the body is not JSON of the right shape.",
        [StatusCodes.Status401Unauthorized] = "No credential, one that is not valid, or (where a key needs one) no valid TOTP code.",
        [StatusCodes.Status403Forbidden] = "The credential does not allow this operation: its role, tenant or populations.",
        [StatusCodes.Status404NotFound] = "No such session for this user, or no such webhook endpoint in this tenant.",
        [StatusCodes.Status409Conflict] = "The session is not active (its status is in the answer), or a limit is reached (active sessions per user, endpoints per tenant).",
        [StatusCodes.Status413PayloadTooLarge] = "The body is larger than the service takes (docs/api.md, \"Limits\"), or a metadata patch would leave a session more metadata than it may have.",
        [StatusCodes.Status415UnsupportedMediaType] = "The body is not of the operation's content type: application/json (application/merge-patch+json for a metadata patch).",
        [StatusCodes.Status422UnprocessableEntity] = "A parameter or field is not valid; each is named.",
        [StatusCodes.Status429TooManyRequests] = "The credential's rate limit is used up; Retry-After says when to try again.",
        [StatusCodes.Status503ServiceUnavailable] = "The host is at its bound of requests, or its cluster or storage cannot answer now; Retry-After says when to try again.",
    };

    private static readonly int[] BodyErrors = [StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType];

    private static readonly int[] Refusals = [StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests, StatusCodes.Status503ServiceUnavailable];

    public static async Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var surface = metadata.OfType<ApiSurface>().LastOrDefault() ?? CanonicalSurface.Instance;
        var statuses = new SortedSet<int>();
        foreach (var produces in metadata.OfType<IProducesResponseTypeMetadata>().Where(p => p.StatusCode >= 400))
        {
            if (produces.Type == typeof(HttpValidationProblemDetails))
            {
                statuses.UnionWith(surface.ValidationStatuses);
            }
            else
            {
                statuses.Add(produces.StatusCode);
            }
        }

        if (operation.RequestBody is not null)
        {
            statuses.UnionWith(BodyErrors);
        }

        if (OpenApiSecurity.TakesCredential(metadata))
        {
            statuses.UnionWith(Refusals);
        }
        else if (metadata.OfType<ApiSurface>().Any())
        {
            // A public route of the API (a JWKS) still passes the anonymous rate limit and the host's bound.
            statuses.UnionWith([StatusCodes.Status429TooManyRequests, StatusCodes.Status503ServiceUnavailable]);
        }

        operation.Responses ??= new OpenApiResponses();
        foreach (var code in operation.Responses.Keys.Where(c => int.TryParse(c, CultureInfo.InvariantCulture, out var status) && status >= 400).ToList())
        {
            operation.Responses.Remove(code);
        }

        foreach (var status in statuses)
        {
            var (body, contentType) = surface.ErrorBody(status);
            var response = new OpenApiResponse
            {
                Description = Descriptions.GetValueOrDefault(status, "An error."),
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [contentType] = new()
                    {
                        Schema = await context.GetOrCreateSchemaAsync(body, null, cancellationToken),
                        Example = await OpenApiErrorExamples.WriteAsync(context.ApplicationServices, surface, "/" + context.Description.RelativePath, status),
                    },
                },
            };
            if (status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable)
            {
                response.Headers = new Dictionary<string, IOpenApiHeader>
                {
                    ["Retry-After"] = new OpenApiHeader { Description = "Seconds to wait before trying again.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } },
                };
            }

            operation.Responses[status.ToString(CultureInfo.InvariantCulture)] = response;
        }
    }
}
