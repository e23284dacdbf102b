using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Console.Pages;
using Orleans.Sessions.Api.Deliveries;
using Orleans.Sessions.Backchannel;
using Orleans.Sessions.Deliveries;
using Orleans.Sessions.Events;
using Orleans.Sessions.SharedSignals;
using Orleans.Sessions.Webhooks;

namespace Orleans.Sessions.Api.Console.Admin;

/// <summary>
/// Who the tenant's session events go to (docs/console.md, "Receivers"): webhook endpoints, back-channel logout
/// clients and Shared Signals streams, each with its state and its delivery log — what the API's <c>…/deliveries</c>
/// answer, with its role (<c>sessions:admin</c>). Registering and changing them stays with the API.
/// </summary>
public static class AdminReceivers
{
    public static void MapAdminReceivers(this RouteGroupBuilder tenant)
    {
        var receivers = tenant.MapGroup("/receivers").WithMetadata(new RequiresRoles(SessionRoles.Admin));
        receivers.MapGet("/", ListAsync);
        receivers.MapGet("/webhooks/{id}", WebhookAsync);
        receivers.MapGet("/clients/{clientId}", ClientAsync);
        receivers.MapGet("/streams/{id}", StreamAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext http, IGrainFactory grains)
    {
        var admin = AdminView.Of(http);
        var tenant = admin.Tenant!;
        var webhooks = await grains.GetGrain<IWebhookEndpointsGrain>(tenant).ListAsync();
        var clients = await grains.GetGrain<IBackchannelClientsGrain>(tenant).ListAsync();
        var streams = await grains.GetGrain<ISsfStreamsGrain>(tenant).ListAllAsync();
        return ConsoleEndpoints.Page<ReceiversPage>(new
        {
            Model = new ReceiversModel(
                admin,
                [.. webhooks.Select(w => new ReceiverRow(w.Id, w.Url, w.Enabled ? "enabled" : "disabled", w.Description, w.CreatedAt, w.FailingSince, Path(admin, "webhooks", w.Id)))],
                [.. clients.Select(c => new ReceiverRow(c.ClientId, c.LogoutUri, c.Enabled ? "enabled" : "disabled", c.Description, c.CreatedAt, c.FailingSince, Path(admin, "clients", c.ClientId)))],
                [.. streams.Select(s => new ReceiverRow(s.Id, StreamAddress(s), StreamState(s), s.Description, s.CreatedAt, s.FailingSince, Path(admin, "streams", s.Id)))]),
        });
    }

    private static async Task<IResult> WebhookAsync(HttpContext http, string id, IGrainFactory grains)
    {
        var admin = AdminView.Of(http);
        if (await grains.GetGrain<IWebhookEndpointsGrain>(admin.Tenant!).GetAsync(id) is not { } endpoint)
        {
            return NotFound(admin, "No such webhook endpoint");
        }

        return await ReceiverAsync(admin, $"Webhook endpoint {endpoint.Id}", endpoint.Id, grains,
        [
            ("URL", endpoint.Url),
            ("State", endpoint.Enabled ? "enabled" : "disabled"),
            ("Event types", endpoint.EventTypes.IsEmpty ? "every type" : string.Join(", ", endpoint.EventTypes.Select(t => t.Name()))),
            ("Description", endpoint.Description ?? ""),
            ("Created", Time(endpoint.CreatedAt)),
            ("Failing since", endpoint.FailingSince is { } since ? Time(since) : "not failing"),
        ]);
    }

    private static async Task<IResult> ClientAsync(HttpContext http, string clientId, IGrainFactory grains)
    {
        var admin = AdminView.Of(http);
        if (await grains.GetGrain<IBackchannelClientsGrain>(admin.Tenant!).GetAsync(clientId) is not { } client)
        {
            return NotFound(admin, "No such back-channel logout client");
        }

        return await ReceiverAsync(admin, $"Back-channel logout client {client.ClientId}", client.Id, grains,
        [
            ("Logout URI", client.LogoutUri),
            ("State", client.Enabled ? "enabled" : "disabled"),
            ("Issuer", client.Issuer),
            ("Session required", client.SessionRequired ? "yes" : "no"),
            ("Description", client.Description ?? ""),
            ("Created", Time(client.CreatedAt)),
            ("Failing since", client.FailingSince is { } since ? Time(since) : "not failing"),
        ]);
    }

    private static async Task<IResult> StreamAsync(HttpContext http, string id, IGrainFactory grains)
    {
        var admin = AdminView.Of(http);
        if (await grains.GetGrain<ISsfStreamsGrain>(admin.Tenant!).FindAsync(id) is not { } stream)
        {
            return NotFound(admin, "No such stream");
        }

        (string, string)[] facts =
        [
            ("Receiver", stream.Audience),
            ("Delivery", stream.Method == SsfDeliveryMethod.Push ? $"push to {stream.EndpointUrl}" : "poll"),
            ("Status", StreamState(stream) + (stream.StatusReason is { } reason ? $": {reason}" : "")),
            ("Events", string.Join(", ", stream.EventsDelivered)),
            ("Description", stream.Description ?? ""),
            ("Created", Time(stream.CreatedAt)),
            ("Failing since", stream.FailingSince is { } since ? Time(since) : "not failing"),
        ];
        // A polled stream has no delivery attempts: its receiver fetches the events.
        return stream.Method == SsfDeliveryMethod.Push
            ? await ReceiverAsync(admin, $"Shared Signals stream {stream.Id}", stream.Id, grains, facts)
            : ConsoleEndpoints.Page<ReceiverPage>(new { Model = new ReceiverModel(admin, $"Shared Signals stream {stream.Id}", facts, null) });
    }

    private static async Task<IResult> ReceiverAsync(AdminView admin, string heading, string deliveryId, IGrainFactory grains, IReadOnlyList<(string, string)> facts)
    {
        var log = await grains.GetGrain<IEventDeliveryGrain>(DeliveryKey.Of(admin.Tenant!, deliveryId)).LogAsync(DeliveryLogs.DefaultLimit);
        return ConsoleEndpoints.Page<ReceiverPage>(new { Model = new ReceiverModel(admin, heading, facts, [.. log.Select(DeliveryAttemptResponse.From)]) });
    }

    private static string Path(AdminView admin, string kind, string id) => admin.PathOf($"receivers/{kind}/{Uri.EscapeDataString(id)}");

    private static string StreamAddress(SsfStream stream) => stream.Method == SsfDeliveryMethod.Push ? stream.EndpointUrl : $"polled by {stream.Audience}";

    private static string StreamState(SsfStream stream) => stream.Status.ToString().ToLowerInvariant();

    private static string Time(DateTimeOffset time) => time.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    private static IResult NotFound(AdminView admin, string heading) => ConsoleEndpoints.Page<MessagePage>(
        new { Heading = heading, Text = "There is none of that id in this tenant.", LinkHref = admin.PathOf("receivers"), LinkText = "Back" },
        StatusCodes.Status404NotFound);
}

/// <summary>The tenant's receivers of session events, by kind.</summary>
public sealed record ReceiversModel(AdminView Admin, IReadOnlyList<ReceiverRow> Webhooks, IReadOnlyList<ReceiverRow> Clients, IReadOnlyList<ReceiverRow> Streams);

/// <summary>One receiver in the list: its id, where it receives, its state, and whether deliveries to it are failing.</summary>
public sealed record ReceiverRow(string Id, string Address, string State, string? Description, DateTimeOffset CreatedAt, DateTimeOffset? FailingSince, string Href);

/// <summary>One receiver: what it is, and its newest delivery attempts (null for a polled stream, which has none).</summary>
public sealed record ReceiverModel(AdminView Admin, string Heading, IReadOnlyList<(string Label, string Value)> Facts, IReadOnlyList<DeliveryAttemptResponse>? Log);
