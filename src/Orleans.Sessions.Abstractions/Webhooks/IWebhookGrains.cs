using System.Collections.Immutable;
using Orleans.Concurrency;
using Orleans.Sessions.Events;

namespace Orleans.Sessions.Webhooks;

/// <summary>The webhook endpoints of one tenant (key = tenant): their registrations and signing secrets.</summary>
[Alias("sessions.IWebhookEndpointsGrain")]
public interface IWebhookEndpointsGrain : IGrainWithStringKey
{
    /// <summary>A new endpoint and its secret; null when the tenant has as many endpoints as it may.</summary>
    [Alias("Create")]
    Task<WebhookWithSecret?> CreateAsync(WebhookSpec spec);

    [Alias("List")]
    Task<ImmutableArray<WebhookEndpoint>> ListAsync();

    [Alias("Get")]
    Task<WebhookEndpoint?> GetAsync(string id);

    [Alias("Update")]
    Task<WebhookEndpoint?> UpdateAsync(string id, WebhookSpec spec);

    [Alias("Delete")]
    Task<bool> DeleteAsync(string id);

    /// <summary>
    /// A new signing secret for the endpoint, answered once; the one it replaces keeps signing beside it for
    /// <paramref name="overlap"/>, so receivers can switch without losing a delivery. Null when there is no such endpoint.
    /// </summary>
    [Alias("RotateSecret")]
    Task<WebhookWithSecret?> RotateSecretAsync(string id, TimeSpan overlap);

    /// <summary>
    /// What a delivery needs, in one call: the endpoint and the secrets that sign now (the current one first, and the
    /// replaced one during its overlap); null when there is no such endpoint.
    /// </summary>
    [Alias("Target")]
    Task<WebhookTarget?> TargetAsync(string id);

    /// <summary>Marks the endpoint failing (an event was dead-lettered) or not (a delivery succeeded).</summary>
    [Alias("SetFailing")]
    Task SetFailingAsync(string id, DateTimeOffset? since);
}

/// <summary>
/// The deliveries to one endpoint (key = <c>tenant/endpointId</c>): it follows the tenant's event log from its position,
/// each user's events one at a time so they reach the endpoint in order; retries, dead letters and the delivery log.
/// </summary>
[Alias("sessions.IWebhookDeliveryGrain")]
public interface IWebhookDeliveryGrain : IGrainWithStringKey
{
    /// <summary>Starts following the log if it is not already (idempotent).</summary>
    [Alias("Ensure")]
    Task EnsureRunningAsync();

    /// <summary>The newest attempts first, at most <paramref name="limit"/>.</summary>
    [Alias("Log")]
    [AlwaysInterleave] // Read while a delivery round (a timer tick of up to a few seconds) is under way.
    Task<ImmutableArray<WebhookAttempt>> LogAsync(int limit);

    /// <summary>
    /// Queues the events <paramref name="selection"/> names (that the endpoint wants) for delivery again, before what is
    /// new in the log; how many were queued.
    /// </summary>
    [Alias("Redeliver")]
    Task<int> RedeliverAsync(EventSelection selection);

    /// <summary>Stops for good: the endpoint was deleted.</summary>
    [Alias("Stop")]
    Task StopAsync();
}
