using System.Net;
using Orleans.Sessions.Api.Enrichment;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Canonical;

// The canonical request bodies check themselves (IValidatable, run by ValidationFilter before the handler) and
// then become grain commands: what Validate parsed (the address) is what the command carries.

public sealed partial record SignOnRequest : IValidatable
{
    private IPAddress? _ip;
    private Impersonator? _impersonator;
    private TimeSpan? _expiresIn;
    private TimeSpan? _idleTimeout;
    private System.Collections.Immutable.ImmutableSortedDictionary<string, MetadataValue>? _metadata;

    public void Validate(InputErrors errors)
    {
        _ip = InputRules.Ip(errors, "ip", Ip, required: true);
        InputRules.UserAgent(errors, "userAgent", UserAgent, required: true);
        RequestRules.ClientHints(errors, ClientHints);
        InputRules.Text(errors, "deviceId", DeviceId, InputRules.MaxClientIdLength);
        InputRules.AuthMethod(errors, "authMethod", AuthMethod);
        InputRules.ClientId(errors, "clientId", ClientId);
        InputRules.Host(errors, "host", Host);
        InputRules.ClientId(errors, "externalSessionId", ExternalSessionId);
        InputRules.Id(errors, "organizationId", OrganizationId, required: false);
        InputRules.Id(errors, "populationId", PopulationId, required: false);
        _impersonator = RequestRules.Impersonator(errors, Impersonator);
        InputRules.Text(errors, "userName", UserName);
        InputRules.Text(errors, "displayName", DisplayName);
        _expiresIn = InputRules.Seconds(errors, "expiresIn", ExpiresIn, RequestRules.MinLifetimeSeconds, RequestRules.MaxLifetimeSeconds);
        _idleTimeout = InputRules.Seconds(errors, "idleTimeout", IdleTimeout, RequestRules.MinLifetimeSeconds, RequestRules.MaxLifetimeSeconds);
        RequestRules.Location(errors, Location);
        _metadata = MetadataRules.Metadata(errors, "metadata", Metadata);
    }

    /// <summary>The grain command of a validated request, with the device and place resolved.</summary>
    public SignOnCommand ToCommand(string tenant, string userId, IDeviceResolver devices, ILocationResolver locations) => new()
    {
        Ip = _ip!.ToString(),
        Device = devices.Resolve(tenant, userId, InputRules.TruncateUserAgent(UserAgent), ClientHints, DeviceId),
        AuthMethod = AuthMethod!,
        ClientId = ClientId,
        Host = Host,
        OrganizationId = OrganizationId,
        PopulationId = PopulationId,
        Impersonator = _impersonator,
        UserName = UserName,
        DisplayName = DisplayName,
        ExpiresIn = _expiresIn,
        IdleTimeout = _idleTimeout,
        Place = RequestRules.Place(Location, _ip, locations),
        ExternalSessionId = ExternalSessionId,
        Metadata = _metadata,
    };
}

public sealed partial record ReauthenticateRequest : IValidatable
{
    private IPAddress? _ip;
    private TimeSpan? _expiresIn;
    private TimeSpan? _idleTimeout;

    public void Validate(InputErrors errors)
    {
        _ip = InputRules.Ip(errors, "ip", Ip, required: true);
        InputRules.AuthMethod(errors, "authMethod", AuthMethod);
        InputRules.ClientId(errors, "clientId", ClientId);
        _expiresIn = InputRules.Seconds(errors, "expiresIn", ExpiresIn, RequestRules.MinLifetimeSeconds, RequestRules.MaxLifetimeSeconds);
        _idleTimeout = InputRules.Seconds(errors, "idleTimeout", IdleTimeout, RequestRules.MinLifetimeSeconds, RequestRules.MaxLifetimeSeconds);
        RequestRules.Location(errors, Location);
    }

    public ReauthenticateCommand ToCommand(ILocationResolver locations) => new()
    {
        Ip = _ip!.ToString(),
        AuthMethod = AuthMethod!,
        ClientId = ClientId,
        ExpiresIn = _expiresIn,
        IdleTimeout = _idleTimeout,
        Place = RequestRules.Place(Location, _ip, locations),
    };
}

/// <summary>Activity may come without a body: it records use and nothing else.</summary>
public sealed partial record ActivityRequest : IOptionalBody<ActivityRequest>
{
    public static ActivityRequest Empty() => new(null, null, null);

    private IPAddress? _ip;

    public void Validate(InputErrors errors)
    {
        _ip = InputRules.Ip(errors, "ip", Ip, required: false);
        InputRules.UserAgent(errors, "userAgent", UserAgent, required: false);
        InputRules.ClientId(errors, "clientId", ClientId);
    }

    public ActivityCommand ToCommand(ILocationResolver locations) => new()
    {
        Ip = _ip?.ToString(),
        ClientId = ClientId,
        Place = _ip is null ? null : locations.Lookup(_ip),
    };
}

public sealed partial record RevokeRequest : IOptionalBody<RevokeRequest>
{
    public static RevokeRequest Empty() => new(Reason: null);

    public void Validate(InputErrors errors) => InputRules.Text(errors, "reason", Reason, maxLength: RequestRules.MaxReasonLength);
}

public sealed partial record RevokeAllRequest : IOptionalBody<RevokeAllRequest>
{
    public static RevokeAllRequest Empty() => new(null, null);

    /// <summary>The session to keep, normalized.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? Except { get; private set; }

    public void Validate(InputErrors errors)
    {
        InputRules.Text(errors, "reason", Reason, maxLength: RequestRules.MaxReasonLength);
        Except = ExceptSessionId is { } id ? InputRules.SessionId(errors, "exceptSessionId", id) : null;
    }
}
