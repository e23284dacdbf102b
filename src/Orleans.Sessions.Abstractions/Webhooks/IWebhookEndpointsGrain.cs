using System.Collections.Immutable;

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
