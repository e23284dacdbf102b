using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Orleans.Sessions.Api.Audit;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Deliveries;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Api.SessionDirectory;
using Orleans.Sessions.Deliveries;
using Orleans.Sessions.Webhooks;

namespace Orleans.Sessions.Api.Webhooks;

/// <summary>
/// A tenant's webhook endpoints (docs/webhooks.md, "Endpoints"), role <c>sessions:admin</c> on the tenant: register
/// (the signing secret is answered once), list, read, change, delete, and the delivery log of one.
/// </summary>
public static class WebhooksApi
{
    public const string AllowPrivateNetworksKey = "Sessions:Webhooks:AllowPrivateNetworks";

    public static RouteGroupBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/tenants/{tenant}/webhooks")
            .WithTags("Webhooks")
            .WithMetadata(CanonicalSurface.Instance)
            .RequireAuthorization(SessionsPolicies.Admin)
            .WithInputValidation()
            .WithAdminAudit();
        group.MapPost("/", CreateAsync).ProducesProblem(StatusCodes.Status409Conflict).WithMetadata(new RequiredBodyFields("url")).WithName("CreateWebhook").WithSummary("Register an endpoint; its signing secret is in this answer only.");
        group.MapGet("/", ListAsync).WithName("ListWebhooks").WithSummary("The tenant's endpoints.");
        group.MapGet("/{webhookId}", GetAsync).ProducesNotFound().WithName("GetWebhook").WithSummary("One endpoint.");
        group.MapPatch("/{webhookId}", UpdateAsync).ProducesNotFound().WithName("UpdateWebhook").WithSummary("Change an endpoint's url, event types, description, or turn it off and on.");
        group.MapDelete("/{webhookId}", DeleteAsync).ProducesNotFound().WithName("DeleteWebhook").WithSummary("Delete an endpoint: nothing more is delivered to it.");
        group.MapPost("/{webhookId}/rotate-secret", RotateSecretAsync).ProducesNotFound().WithName("RotateWebhookSecret").WithSummary("A new signing secret, answered once; the old one keeps signing beside it for overlapSeconds (default 86,400).");
        group.MapPost("/{webhookId}/redeliver", RedeliverAsync).ProducesNotFound().WithName("RedeliverWebhookEvents").WithSummary("Deliver again one event (eventId) or those of a time range (from, until) the endpoint wants, before what is new.");
        group.MapGet("/{webhookId}/deliveries", DeliveriesAsync).ProducesNotFound().WithName("ListWebhookDeliveries").WithSummary("The endpoint's newest delivery attempts: status, latency, error, outcome.");
        return group;
    }

    public static async Task<Results<Created<WebhookResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        [AsParameters] TenantRoute route, WebhookRequest request, IGrainFactory grains, IConfiguration configuration, HttpContext http)
    {
        var errors = new InputErrors();
        var spec = await request.ToSpecAsync(errors, create: true, configuration.GetValue<bool>(AllowPrivateNetworksKey), http.RequestAborted);
        if (spec is null)
        {
            return ApiProblems.Validation(errors);
        }

        var made = await grains.GetGrain<IWebhookEndpointsGrain>(route.Tenant).CreateAsync(spec);
        return made is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"A tenant has at most {WebhookEndpoint.MaxPerTenant} webhook endpoints.", type: ApiProblems.TypePrefix + "webhook-limit")
            : TypedResults.Created($"/v1/tenants/{route.Tenant}/webhooks/{made.Endpoint.Id}", WebhookResponse.From(made.Endpoint, made.Secret));
    }

    public static async Task<Ok<WebhookListResponse>> ListAsync([AsParameters] TenantRoute route, IGrainFactory grains) =>
        TypedResults.Ok(new WebhookListResponse([.. (await grains.GetGrain<IWebhookEndpointsGrain>(route.Tenant).ListAsync()).Select(e => WebhookResponse.From(e))]));

    public static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> GetAsync([AsParameters] WebhookRoute route, IGrainFactory grains) =>
        await grains.GetGrain<IWebhookEndpointsGrain>(route.Tenant).GetAsync(route.WebhookId) is { } endpoint
            ? TypedResults.Ok(WebhookResponse.From(endpoint))
            : NotFound(route.WebhookId);

    public static async Task<Results<Ok<WebhookResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        [AsParameters] WebhookRoute route, WebhookRequest request, IGrainFactory grains, IConfiguration configuration, HttpContext http)
    {
        var errors = new InputErrors();
        var spec = await request.ToSpecAsync(errors, create: false, configuration.GetValue<bool>(AllowPrivateNetworksKey), http.RequestAborted);
        if (spec is null)
        {
            return ApiProblems.Validation(errors);
        }

        return await grains.GetGrain<IWebhookEndpointsGrain>(route.Tenant).UpdateAsync(route.WebhookId, spec) is { } endpoint
            ? TypedResults.Ok(WebhookResponse.From(endpoint))
            : NotFound(route.WebhookId);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync([AsParameters] WebhookRoute route, IGrainFactory grains) =>
        await grains.GetGrain<IWebhookEndpointsGrain>(route.Tenant).DeleteAsync(route.WebhookId) ? TypedResults.NoContent() : NotFound(route.WebhookId);

    public static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> RotateSecretAsync(
        [AsParameters] WebhookRoute route, WebhookRotation? request, IGrainFactory grains)
    {
        var overlap = request!.Overlap; // The validation filter gives an empty body when none was sent.
        return await grains.GetGrain<IWebhookEndpointsGrain>(route.Tenant).RotateSecretAsync(route.WebhookId, overlap) is { } rotated
            ? TypedResults.Ok(WebhookResponse.From(rotated.Endpoint, rotated.Secret))
            : NotFound(route.WebhookId);
    }

    public static async Task<Results<Accepted<WebhookRedeliveryResponse>, ProblemHttpResult>> RedeliverAsync(
        [AsParameters] WebhookRoute route, WebhookRedelivery request, IGrainFactory grains)
    {
        if (await grains.GetGrain<IWebhookEndpointsGrain>(route.Tenant).GetAsync(route.WebhookId) is null)
        {
            return NotFound(route.WebhookId);
        }

        var queued = await grains.GetGrain<IEventDeliveryGrain>(DeliveryKey.Of(route.Tenant, route.WebhookId)).RedeliverAsync(request.Selection);
        return TypedResults.Accepted((string?)null, new WebhookRedeliveryResponse(queued));
    }

    public static Task<Results<Ok<DeliveryAttemptsResponse>, ValidationProblem, ProblemHttpResult>> DeliveriesAsync(
        [AsParameters] WebhookRoute route, [FromQuery(Name = "limit"), Range(1, DeliveryLogs.MaxLimit)] string? limit, IGrainFactory grains) =>
        DeliveryLogs.ReadAsync(
            route.Tenant, limit, async () => (await grains.GetGrain<IWebhookEndpointsGrain>(route.Tenant).GetAsync(route.WebhookId))?.Id, () => NotFound(route.WebhookId), grains);

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No webhook endpoint '{id}' in this tenant.", type: ApiProblems.TypePrefix + "webhook-not-found");
}

/// <summary><c>/v1/tenants/{tenant}/webhooks/{webhookId}</c>.</summary>
public sealed class WebhookRoute : IValidatable
{
    [FromRoute(Name = "tenant"), RegularExpression(WirePatterns.Id)]
    public string Tenant { get; set; } = "";

    [FromRoute(Name = "webhookId"), RegularExpression(WirePatterns.Id)]
    public string WebhookId { get; set; } = "";

    public void Validate(InputErrors errors)
    {
        InputRules.Id(errors, "tenant", Tenant);
        InputRules.Id(errors, "webhookId", WebhookId);
    }
}
