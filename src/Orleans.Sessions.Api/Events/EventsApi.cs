using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Canonical;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Api.SessionDirectory;
using Orleans.Sessions.Events;

namespace Orleans.Sessions.Api.Events;

/// <summary>The pull feed (docs/events.md, "The feed"): a tenant's events in log order, resumable from any <c>next</c>.</summary>
public static class EventsApi
{
    public static RouteGroupBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/tenants/{tenant}/events")
            .WithTags("Events")
            .WithMetadata(CanonicalSurface.Instance)
            .RequireAuthorization(SessionsPolicies.Events)
            .WithInputValidation();
        group.MapGet("/", ListAsync).WithName("ListEvents").WithSummary("The tenant's session events after a position, in a stable order: resume from any 'next'.");
        return group;
    }

    public static async Task<Ok<EventFeedResponse>> ListAsync(
        [AsParameters] TenantRoute route, [AsParameters] EventFeedParameters feed, Caller caller, IGrainFactory grains)
    {
        var page = await grains.GetGrain<IEventFeedGrain>(route.Tenant).ReadAsync(feed.Query);
        // A key limited to populations sees their sessions' events only; the position still moves past the others.
        var items = page.Items.Where(e => caller.Scope.Allows(e.Event.Data)).Select(e => ToResponse(e.Event)).ToList();
        return TypedResults.Ok(new EventFeedResponse(items, EventCursor.Encode(page.Next)));
    }

    public static EventResponse ToResponse(SessionEvent e) =>
        new(e.Id, e.Type.Name(), e.OccurredAt, e.Tenant, e.UserId, e.SessionId, e.Data.ToResponse());
}
