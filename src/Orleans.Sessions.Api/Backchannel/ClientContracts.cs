using Orleans.Sessions.Backchannel;

namespace Orleans.Sessions.Api.Backchannel;

/// <summary>A back-channel logout client as the API shows it.</summary>
public sealed record BackchannelClientResponse(
    string ClientId, string BackchannelLogoutUri, bool BackchannelLogoutSessionRequired, string Issuer, bool Enabled, string? Description,
    DateTimeOffset CreatedAt, bool Failing, DateTimeOffset? FailingSince)
{
    public static BackchannelClientResponse From(BackchannelClient c) =>
        new(c.ClientId, c.LogoutUri, c.SessionRequired, c.Issuer, c.Enabled, c.Description, c.CreatedAt, c.FailingSince is not null, c.FailingSince);
}

public sealed record BackchannelClientListResponse(IReadOnlyList<BackchannelClientResponse> Items);
