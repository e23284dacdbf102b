using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Orleans.Sessions.Api.Audit;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Api.SessionDirectory;
using Orleans.Sessions.Keys;

namespace Orleans.Sessions.Api.Keys;

/// <summary>
/// A tenant's signing keys (docs/keys.md): the JWKS, public and anonymous, that verifiers of logout tokens fetch; the
/// keys' places in the rotation and a rotation on demand, role <c>sessions:admin</c>.
/// </summary>
public static class KeysApi
{
    /// <summary>How long a JWKS may be cached: well inside the time a next key is published before it signs.</summary>
    public const int JwksMaxAgeSeconds = 300;

    public static IEndpointRouteBuilder MapKeysApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/tenants/{tenant}/.well-known")
            .WithTags("Keys")
            .WithMetadata(CanonicalSurface.Instance)
            .AllowAnonymous()
            .WithInputValidation()
            .MapGet("/jwks.json", JwksAsync)
            .WithName("GetJwks")
            .WithSummary("The tenant's public signing keys (JWK Set): the one that signs, the next, and those retired within their overlap. No credential.");
        var group = app.MapGroup("/v1/tenants/{tenant}/keys")
            .WithTags("Keys")
            .WithMetadata(CanonicalSurface.Instance)
            .RequireAuthorization(SessionsPolicies.Admin)
            .WithInputValidation()
            .WithAdminAudit();
        group.MapGet("/", ListAsync).WithName("ListSigningKeys").WithSummary("The tenant's keys (made now if it has none), their use (current, next, retiring) and times; never a private key.");
        group.MapPost("/rotate", RotateAsync).WithName("RotateSigningKeys").WithSummary("The next key signs from now on; the replaced one stays published for overlapSeconds (default Sessions:Keys:Overlap).");
        return app;
    }

    public static async Task<Ok<JsonWebKeySetResponse>> JwksAsync([AsParameters] TenantRoute route, IGrainFactory grains, HttpContext http)
    {
        var keys = await grains.GetGrain<ISigningKeysGrain>(route.Tenant).PublishedAsync();
        http.Response.Headers.CacheControl = $"public, max-age={JwksMaxAgeSeconds}";
        return TypedResults.Ok(new JsonWebKeySetResponse([.. keys.Select(JsonWebKeyResponse.From)]));
    }

    public static async Task<Ok<SigningKeysResponse>> ListAsync([AsParameters] TenantRoute route, IGrainFactory grains, HttpContext http) =>
        TypedResults.Ok(Response(http, route.Tenant, await grains.GetGrain<ISigningKeysGrain>(route.Tenant).EnsureAsync()));

    public static async Task<Ok<SigningKeysResponse>> RotateAsync([AsParameters] TenantRoute route, KeyRotation? request, IGrainFactory grains, HttpContext http) =>
        TypedResults.Ok(Response(http, route.Tenant, await grains.GetGrain<ISigningKeysGrain>(route.Tenant).RotateAsync(request!.Overlap))); // The validation filter gives an empty body when none was sent.

    private static SigningKeysResponse Response(HttpContext http, string tenant, IEnumerable<PublishedKey> keys)
    {
        var issuer = TenantIssuer.For(http, tenant);
        return new SigningKeysResponse(issuer, TenantIssuer.JwksUri(issuer), [.. keys.Select(SigningKeyResponse.From)]);
    }
}
