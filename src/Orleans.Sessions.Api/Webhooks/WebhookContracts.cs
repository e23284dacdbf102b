using Orleans.Sessions.Events;
using Orleans.Sessions.Webhooks;

namespace Orleans.Sessions.Api.Webhooks;

/// <summary>An endpoint as the API shows it; <c>secret</c> only in the answer that made it.</summary>
public sealed record WebhookResponse(
    string Id, string Url, IReadOnlyList<string> EventTypes, bool Enabled, string? Description, DateTimeOffset CreatedAt,
    bool Failing, DateTimeOffset? FailingSince, string? Secret = null)
{
    public static WebhookResponse From(WebhookEndpoint e, string? secret = null) =>
        new(e.Id, e.Url, [.. e.EventTypes.Select(t => t.Name())], e.Enabled, e.Description, e.CreatedAt, e.FailingSince is not null, e.FailingSince, secret);
}

public sealed record WebhookListResponse(IReadOnlyList<WebhookResponse> Items);
