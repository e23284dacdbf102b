using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Orleans.Sessions.Api.Auth;

namespace Orleans.Sessions.Api;

/// <summary>
/// The credentials of each operation in the OpenAPI document, from what its surface reads (docs/security.md): a security
/// scheme per header style (<c>Authorization: Bearer</c>, Symphony's <c>sessionToken</c>, MonoCloud's <c>X-API-KEY</c>,
/// Rocket.Chat's <c>X-User-Id</c> with <c>X-Auth-Token</c>) and, on operations whose policy asks keys with a TOTP secret
/// for a code, the alternative that adds the surface's TOTP header(s). The refusals that come with them are
/// <see cref="OpenApiErrors"/>'.
/// </summary>
internal static class OpenApiSecurity
{
    /// <summary>Whether an endpoint with <paramref name="metadata"/> takes a credential (it has a policy and allows no anonymous caller).</summary>
    public static bool TakesCredential(IEnumerable<object> metadata) => metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();

    public static Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (!TakesCredential(metadata))
        {
            // Said, not left out: a public operation (a JWKS) is one that needs no credential, not one nobody described.
            operation.Security = [];
            return Task.CompletedTask;
        }

        var surface = metadata.OfType<ApiSurface>().LastOrDefault() ?? CanonicalSurface.Instance;
        var document = context.Document!;
        var credential = surface.CredentialReaders.SelectMany(Schemes).ToList();
        operation.Security = [Requirement(document, credential)];
        if (metadata.OfType<IAuthorizeData>().Any(p => p.Policy == SessionsPolicies.ReadAll))
        {
            var totp = new List<(string, OpenApiSecurityScheme)> { Header(surface.TotpHeader, "The key's current TOTP code (keys created with a TOTP secret, docs/security.md).") };
            if (surface.TotpMethodHeader is { } method)
            {
                totp.Add(Header(method, "The second factor's method: totp."));
            }

            operation.Security.Add(Requirement(document, [.. credential, .. totp]));
        }

        return Task.CompletedTask;
    }

    private static OpenApiSecurityRequirement Requirement(OpenApiDocument document, IEnumerable<(string Name, OpenApiSecurityScheme Scheme)> schemes)
    {
        var requirement = new OpenApiSecurityRequirement();
        foreach (var (name, scheme) in schemes)
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes.TryAdd(name, scheme);
            requirement[new OpenApiSecuritySchemeReference(name, document)] = [];
        }

        return requirement;
    }

    private static IEnumerable<(string Name, OpenApiSecurityScheme Scheme)> Schemes(ICredentialReader reader) => reader switch
    {
        BearerCredentialReader => [("bearer", new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key's secret (or the bootstrap key); on an end user's own routes, their session token (sst_…).",
        })],
        HeaderCredentialReader header => [Header(header.HeaderName, "An API key's secret, or a session token (sst_…) where the end user's own routes take one.")],
        NamedSecretCredentialReader named =>
        [
            Header(named.NameHeader, "The API key's name (or the user id that goes with a session token)."),
            Header(named.SecretHeader, "The API key's secret (or the user's session token, sst_…)."),
        ],
        _ => throw new InvalidOperationException($"No OpenAPI security scheme describes {reader.GetType().Name}."),
    };

    private static (string, OpenApiSecurityScheme) Header(string name, string description) =>
        (name, new OpenApiSecurityScheme { Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = name, Description = description });
}
