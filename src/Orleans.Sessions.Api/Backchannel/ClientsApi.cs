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
using Orleans.Sessions.Api.Keys;
using Orleans.Sessions.Api.SessionDirectory;
using Orleans.Sessions.Api.Webhooks;
using Orleans.Sessions.Backchannel;
using Orleans.Sessions.Keys;

namespace Orleans.Sessions.Api.Backchannel;

/// <summary>
/// A tenant's back-channel logout clients (docs/backchannel-logout.md, "Clients"), role <c>sessions:admin</c>: register,
/// list, read, change, delete, and the delivery log of one.
/// </summary>
public static class ClientsApi
{
    public static RouteGroupBuilder MapClientsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/tenants/{tenant}/clients")
            .WithTags("Back-channel logout")
            .WithMetadata(CanonicalSurface.Instance)
            .RequireAuthorization(SessionsPolicies.Admin)
            .WithInputValidation()
            .WithAdminAudit();
        group.MapPost("/", CreateAsync).ProducesProblem(StatusCodes.Status409Conflict).WithMetadata(new RequiredBodyFields("clientId", "backchannelLogoutUri")).WithName("CreateBackchannelClient").WithSummary("Register a relying party: logout tokens go to its backchannelLogoutUri when a session it used ends.");
        group.MapGet("/", ListAsync).WithName("ListBackchannelClients").WithSummary("The tenant's back-channel logout clients.");
        group.MapGet("/{clientId}", GetAsync).ProducesNotFound().WithName("GetBackchannelClient").WithSummary("One client.");
        group.MapPatch("/{clientId}", UpdateAsync).ProducesNotFound().WithName("UpdateBackchannelClient").WithSummary("Change a client's logout URI, issuer, description, or turn it off and on.");
        group.MapDelete("/{clientId}", DeleteAsync).ProducesNotFound().WithName("DeleteBackchannelClient").WithSummary("Delete a client: no more logout tokens go to it.");
        group.MapGet("/{clientId}/deliveries", DeliveriesAsync).ProducesNotFound().WithName("ListBackchannelDeliveries").WithSummary("The client's newest logout deliveries: status, latency, error, outcome.");
        return group;
    }

    public static async Task<Results<Created<BackchannelClientResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        [AsParameters] TenantRoute route, BackchannelClientRequest request, IGrainFactory grains, IConfiguration configuration, HttpContext http)
    {
        var errors = new InputErrors();
        var spec = await request.ToSpecAsync(errors, TenantIssuer.For(http, route.Tenant), configuration.GetValue<bool>(WebhooksApi.AllowPrivateNetworksKey), http.RequestAborted);
        if (spec is null)
        {
            return ApiProblems.Validation(errors);
        }

        // The tenant's keys exist before the client does: its relying party can fetch the JWKS as soon as it is registered.
        await grains.GetGrain<ISigningKeysGrain>(route.Tenant).EnsureAsync();
        var made = await grains.GetGrain<IBackchannelClientsGrain>(route.Tenant).CreateAsync(spec);
        return made switch
        {
            { Client: { } client } => TypedResults.Created($"/v1/tenants/{route.Tenant}/clients/{Uri.EscapeDataString(client.ClientId)}", BackchannelClientResponse.From(client)),
            { Error: ClientRegistrationError.Exists } => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"Client '{spec.ClientId}' is registered already: change it with PATCH.", type: ApiProblems.TypePrefix + "client-exists"),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"A tenant has at most {BackchannelClient.MaxPerTenant} back-channel logout clients.", type: ApiProblems.TypePrefix + "client-limit"),
        };
    }

    public static async Task<Ok<BackchannelClientListResponse>> ListAsync([AsParameters] TenantRoute route, IGrainFactory grains) =>
        TypedResults.Ok(new BackchannelClientListResponse([.. (await grains.GetGrain<IBackchannelClientsGrain>(route.Tenant).ListAsync()).Select(BackchannelClientResponse.From)]));

    public static async Task<Results<Ok<BackchannelClientResponse>, ProblemHttpResult>> GetAsync([AsParameters] ClientRoute route, IGrainFactory grains) =>
        await grains.GetGrain<IBackchannelClientsGrain>(route.Tenant).GetAsync(route.Id) is { } client
            ? TypedResults.Ok(BackchannelClientResponse.From(client))
            : NotFound(route.Id);

    public static async Task<Results<Ok<BackchannelClientResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        [AsParameters] ClientRoute route, BackchannelClientUpdate request, IGrainFactory grains, IConfiguration configuration, HttpContext http)
    {
        var errors = new InputErrors();
        var spec = await request.ToSpecAsync(errors, configuration.GetValue<bool>(WebhooksApi.AllowPrivateNetworksKey), http.RequestAborted);
        if (spec is null)
        {
            return ApiProblems.Validation(errors);
        }

        return await grains.GetGrain<IBackchannelClientsGrain>(route.Tenant).UpdateAsync(route.Id, spec) is { } client
            ? TypedResults.Ok(BackchannelClientResponse.From(client))
            : NotFound(route.Id);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync([AsParameters] ClientRoute route, IGrainFactory grains) =>
        await grains.GetGrain<IBackchannelClientsGrain>(route.Tenant).DeleteAsync(route.Id) ? TypedResults.NoContent() : NotFound(route.Id);

    public static Task<Results<Ok<DeliveryAttemptsResponse>, ValidationProblem, ProblemHttpResult>> DeliveriesAsync(
        [AsParameters] ClientRoute route, [FromQuery(Name = "limit"), Range(1, DeliveryLogs.MaxLimit)] string? limit, IGrainFactory grains) =>
        DeliveryLogs.ReadAsync(
            route.Tenant, limit, async () => (await grains.GetGrain<IBackchannelClientsGrain>(route.Tenant).GetAsync(route.Id))?.Id, () => NotFound(route.Id), grains);

    private static ProblemHttpResult NotFound(string clientId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No back-channel logout client '{clientId}' in this tenant.", type: ApiProblems.TypePrefix + "client-not-found");
}

/// <summary><c>/v1/tenants/{tenant}/clients/{clientId}</c>.</summary>
public sealed class ClientRoute : IValidatable
{
    [FromRoute(Name = "tenant"), RegularExpression(WirePatterns.Id)]
    public string Tenant { get; set; } = "";

    /// <summary>As routed: every escape decoded but <c>%2F</c>, which routing keeps (a client id may hold a slash).</summary>
    [FromRoute(Name = "clientId"), RegularExpression(WirePatterns.ClientId)]
    public string ClientId { get; set; } = "";

    /// <summary>The client id itself.</summary>
    public string Id => ClientId.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);

    public void Validate(InputErrors errors)
    {
        InputRules.Id(errors, "tenant", Tenant);
        InputRules.ClientId(errors, "clientId", Id);
    }
}
