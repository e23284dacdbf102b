using System.Collections.Immutable;

namespace Orleans.Sessions.Backchannel;

/// <summary>A tenant's back-channel logout clients (key = tenant): their registrations; each has a delivery of its own.</summary>
[Alias("sessions.IBackchannelClientsGrain")]
public interface IBackchannelClientsGrain : IGrainWithStringKey
{
    [Alias("Create")]
    Task<ClientRegistration> CreateAsync(BackchannelClientSpec spec);

    [Alias("List")]
    Task<ImmutableArray<BackchannelClient>> ListAsync();

    /// <summary>The client registered as <paramref name="clientId"/>.</summary>
    [Alias("Get")]
    Task<BackchannelClient?> GetAsync(string clientId);

    /// <summary>The client whose delivery is <paramref name="id"/> (<c>rp_…</c>).</summary>
    [Alias("Find")]
    Task<BackchannelClient?> FindAsync(string id);

    [Alias("Update")]
    Task<BackchannelClient?> UpdateAsync(string clientId, BackchannelClientSpec spec);

    [Alias("Delete")]
    Task<bool> DeleteAsync(string clientId);

    /// <summary>Marks the client failing (a logout was dead-lettered) or not (a delivery succeeded).</summary>
    [Alias("SetFailing")]
    Task SetFailingAsync(string id, DateTimeOffset? since);
}
