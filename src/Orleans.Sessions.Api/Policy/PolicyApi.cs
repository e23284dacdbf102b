using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;
using Orleans.Sessions.Api.Audit;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Api.SessionDirectory;
using Orleans.Sessions.Policy;

namespace Orleans.Sessions.Api.Policy;

/// <summary>
/// A tenant's session policy at run time (docs/policy.md), role <c>sessions:admin</c>: read it with its ETag, replace it
/// (conditionally with <c>If-Match</c>). A change applies from the next sign-on, on every silo within
/// <c>Sessions:PolicyRefreshInterval</c>.
/// </summary>
public static class PolicyApi
{
    public static RouteGroupBuilder MapPolicyApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/tenants/{tenant}/policy")
            .WithTags("Tenant policy")
            .WithMetadata(CanonicalSurface.Instance)
            .RequireAuthorization(SessionsPolicies.Admin)
            .WithInputValidation()
            .WithAdminAudit();
        group.MapGet("/", GetAsync).AddOpenApiOperationTransformer(DescribeETagAsync).WithName("GetTenantPolicy")
            .WithSummary("The tenant's session policy, configuration's values beside it, and its ETag.");
        group.MapPut("/", PutAsync).ProducesProblem(StatusCodes.Status412PreconditionFailed).AddOpenApiOperationTransformer(DescribeETagAsync).WithName("PutTenantPolicy")
            .WithSummary("Replace the tenant's session policy (If-Match: the ETag read, or the change is refused with 412); it applies from the next sign-on.");
        return group;
    }

    public static async Task<Ok<PolicyResponse>> GetAsync([AsParameters] TenantRoute route, IGrainFactory grains, HttpContext http)
    {
        var view = await grains.GetGrain<ITenantPolicyGrain>(route.Tenant).GetAsync();
        SetETag(http, view);
        return TypedResults.Ok(PolicyResponse.From(view));
    }

    public static async Task<Results<Ok<PolicyResponse>, ValidationProblem, ProblemHttpResult>> PutAsync(
        [AsParameters] TenantRoute route,
        PolicyRequest request,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        Caller caller,
        IGrainFactory grains,
        SessionsAudit audit,
        HttpContext http)
    {
        var change = await grains.GetGrain<ITenantPolicyGrain>(route.Tenant).PutAsync(request.ToPolicy(), Versions(ifMatch), caller.Name);
        SetETag(http, change.View);
        switch (change.Error)
        {
            case PolicyError.VersionMismatch:
                return TypedResults.Problem(
                    $"The policy is at version {change.View.Stored.Version} (ETag {ETag(change.View)}), not the one If-Match names: read it again, then change it.",
                    statusCode: StatusCodes.Status412PreconditionFailed, title: "The policy has changed", type: ApiProblems.TypePrefix + "policy-changed");
            case PolicyError.RingTooLarge:
                var errors = new InputErrors();
                errors.Add("maxSessionsPerUser", $"'maxSessionsPerUser' is above Sessions:MaxSessionsPerUser ({change.View.Defaults.MaxSessionsPerUser}).");
                return ApiProblems.Validation(errors);
            default:
                audit.PolicyChanged(caller, route.Tenant, change.View.Stored.Version);
                return TypedResults.Ok(PolicyResponse.From(change.View));
        }
    }

    /// <summary>
    /// The versions an <c>If-Match</c> names (RFC 9110 §13.1.1): null for none or <c>*</c> (the policy always exists);
    /// otherwise its strong entity tags that are versions — a weak or foreign tag matches nothing.
    /// </summary>
    public static long[]? Versions(string? ifMatch)
    {
        if (string.IsNullOrWhiteSpace(ifMatch) || ifMatch.Trim() == "*")
        {
            return null;
        }

        return EntityTagHeaderValue.TryParseList([ifMatch], out var tags)
            ? [.. tags.Where(t => !t.IsWeak)
                .Select(t => long.TryParse(t.Tag.AsSpan().Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : -1)
                .Where(v => v >= 0)]
            : [];
    }

    /// <summary>The <c>ETag</c> header of the answer that carries the policy.</summary>
    private static Task DescribeETagAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse response)
        {
            response.Headers ??= new Dictionary<string, IOpenApiHeader>();
            response.Headers["ETag"] = new OpenApiHeader
            {
                Description = "The policy's version in quotes (\"3\"): send it as If-Match to change the policy only if no one changed it since.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            };
        }

        return Task.CompletedTask;
    }

    /// <summary>The policy's entity tag: its version in quotes.</summary>
    public static string ETag(TenantPolicyView view) => $"\"{view.Stored.Version.ToString(CultureInfo.InvariantCulture)}\"";

    private static void SetETag(HttpContext http, TenantPolicyView view) => http.Response.Headers.ETag = ETag(view);
}
