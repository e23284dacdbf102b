using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Orleans.Sessions.Api.Canonical;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Policy;

namespace Orleans.Sessions.Api.Policy;

/// <summary>
/// A tenant policy as <c>PUT</c> replaces it (docs/policy.md): every member optional, a member left out meaning
/// configuration's value; lifetimes in seconds.
/// </summary>
[RequestContract]
public sealed record PolicyRequest(
    [property: Range(RequestRules.MinLifetimeSeconds, RequestRules.MaxLifetimeSeconds), Description("A session's absolute lifetime in seconds when its sign-on gives none.")] long? ExpiresIn,
    [property: Range(RequestRules.MinLifetimeSeconds, RequestRules.MaxLifetimeSeconds), Description("A session's idle timeout in seconds when its sign-on gives none.")] long? IdleTimeout,
    [property: Range(1, PolicyRequest.MaxRingSize), Description("How many sessions (active or ended) each user keeps; at most the configured Sessions:MaxSessionsPerUser.")] int? MaxSessionsPerUser,
    ActiveSessionLimitInput? ActiveSessionLimit,
    [property: MaxLength(TenantPolicy.MaxClients), Description("What differs for sign-ons naming a client id; each client id once.")] ClientPolicyInput[]? Clients) : IValidatable
{
    public const int MaxRingSize = 1000;

    private TenantPolicy? _policy;

    /// <summary>The policy a validated request sets.</summary>
    public TenantPolicy ToPolicy() => _policy ?? throw new InvalidOperationException("The policy has not been validated.");

    public void Validate(InputErrors errors)
    {
        var expiresIn = InputRules.Seconds(errors, "expiresIn", ExpiresIn, RequestRules.MinLifetimeSeconds, RequestRules.MaxLifetimeSeconds);
        var idleTimeout = InputRules.Seconds(errors, "idleTimeout", IdleTimeout, RequestRules.MinLifetimeSeconds, RequestRules.MaxLifetimeSeconds);
        if (MaxSessionsPerUser is < 1 or > MaxRingSize)
        {
            errors.Add("maxSessionsPerUser", $"'maxSessionsPerUser' must be between 1 and {MaxRingSize}.");
        }

        var limit = ActiveSessionLimitInput.Read(errors, "activeSessionLimit", ActiveSessionLimit);
        var clients = new List<ClientPolicy>();
        if (Clients is { Length: > TenantPolicy.MaxClients })
        {
            errors.Add("clients", $"'clients' has at most {TenantPolicy.MaxClients} entries.");
        }
        else if (Clients is not null)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < Clients.Length; i++)
            {
                if (Clients[i]?.Read(errors, $"clients[{i}]") is { } client)
                {
                    if (seen.Add(client.ClientId))
                    {
                        clients.Add(client);
                    }
                    else
                    {
                        errors.Add($"clients[{i}].clientId", $"Client '{client.ClientId}' appears more than once in 'clients'.");
                    }
                }
                else if (Clients[i] is null)
                {
                    errors.Add($"clients[{i}]", $"'clients[{i}]' must be an object.");
                }
            }
        }

        _policy = errors.IsEmpty
            ? new TenantPolicy { ExpiresIn = expiresIn, IdleTimeout = idleTimeout, MaxSessionsPerUser = MaxSessionsPerUser, ActiveSessionLimit = limit, Clients = [.. clients] }
            : null;
    }
}

/// <summary>At most <c>max</c> active sessions; <c>onLimit</c> says what a sign-on beyond them does (default <c>endOldest</c>).</summary>
[RequestContract]
public sealed record ActiveSessionLimitInput(
    [property: Required, Range(1, PolicyRequest.MaxRingSize)] int? Max,
    [property: AllowedValues("endOldest", "refuse"), Description("endOldest ends the oldest active session to make room (status evicted); refuse answers the sign-on 409.")] string? OnLimit)
{
    public static ActiveSessionLimit? Read(InputErrors errors, string field, ActiveSessionLimitInput? input)
    {
        if (input is null)
        {
            return null;
        }

        var ok = true;
        if (input.Max is not (>= 1 and <= PolicyRequest.MaxRingSize))
        {
            errors.Add($"{field}.max", $"'{field}.max' is required, between 1 and {PolicyRequest.MaxRingSize}.");
            ok = false;
        }

        ActiveSessionLimitPolicy onLimit;
        switch (input.OnLimit)
        {
            case null or "endOldest":
                onLimit = ActiveSessionLimitPolicy.EndOldest;
                break;
            case "refuse":
                onLimit = ActiveSessionLimitPolicy.Refuse;
                break;
            default:
                errors.Add($"{field}.onLimit", $"'{field}.onLimit' must be 'endOldest' or 'refuse'.");
                return null;
        }

        return ok ? new ActiveSessionLimit(input.Max!.Value, onLimit) : null;
    }
}

/// <summary>What a tenant policy sets for sign-ons naming <c>clientId</c>.</summary>
[RequestContract]
public sealed record ClientPolicyInput(
    [property: Required, RegularExpression(WirePatterns.ClientId)] string? ClientId,
    [property: Range(RequestRules.MinLifetimeSeconds, RequestRules.MaxLifetimeSeconds)] long? ExpiresIn,
    [property: Range(RequestRules.MinLifetimeSeconds, RequestRules.MaxLifetimeSeconds)] long? IdleTimeout,
    [property: Description("Active sessions per user that used this client.")] ActiveSessionLimitInput? ActiveSessionLimit)
{
    public ClientPolicy? Read(InputErrors errors, string field)
    {
        var before = errors.Count;
        if (ClientId is null)
        {
            errors.AddRequired($"{field}.clientId");
        }
        else
        {
            InputRules.ClientId(errors, $"{field}.clientId", ClientId);
        }

        var expiresIn = InputRules.Seconds(errors, $"{field}.expiresIn", ExpiresIn, RequestRules.MinLifetimeSeconds, RequestRules.MaxLifetimeSeconds);
        var idleTimeout = InputRules.Seconds(errors, $"{field}.idleTimeout", IdleTimeout, RequestRules.MinLifetimeSeconds, RequestRules.MaxLifetimeSeconds);
        var limit = ActiveSessionLimitInput.Read(errors, $"{field}.activeSessionLimit", ActiveSessionLimit);
        return errors.Count == before
            ? new ClientPolicy { ClientId = ClientId!, ExpiresIn = expiresIn, IdleTimeout = idleTimeout, ActiveSessionLimit = limit }
            : null;
    }
}

public sealed record ActiveSessionLimitResponse(int Max, string OnLimit)
{
    public static ActiveSessionLimitResponse? From(ActiveSessionLimit? limit) =>
        limit is null ? null : new(limit.Max, limit.OnLimit == ActiveSessionLimitPolicy.Refuse ? "refuse" : "endOldest");
}

public sealed record ClientPolicyResponse(string ClientId, long? ExpiresIn, long? IdleTimeout, ActiveSessionLimitResponse? ActiveSessionLimit);

/// <summary>What configuration gives where the policy sets nothing.</summary>
public sealed record PolicyDefaultsResponse(long ExpiresIn, long IdleTimeout, int MaxSessionsPerUser, ActiveSessionLimitResponse? ActiveSessionLimit);

/// <summary>
/// A tenant's policy: what it sets (null: configuration decides), its version (also the <c>ETag</c>), who changed it
/// last and when, and configuration's values.
/// </summary>
public sealed record PolicyResponse(
    long? ExpiresIn,
    long? IdleTimeout,
    int? MaxSessionsPerUser,
    ActiveSessionLimitResponse? ActiveSessionLimit,
    IReadOnlyList<ClientPolicyResponse> Clients,
    [property: Description("0 until a policy is first set; one more at each change. The ETag is this number in quotes.")] long Version,
    DateTimeOffset? UpdatedAt,
    [property: Description("The name of the credential that made the change.")] string? UpdatedBy,
    PolicyDefaultsResponse Defaults)
{
    public static PolicyResponse From(TenantPolicyView view)
    {
        var (stored, policy, defaults) = (view.Stored, view.Stored.Policy, view.Defaults);
        return new PolicyResponse(
            Seconds(policy.ExpiresIn),
            Seconds(policy.IdleTimeout),
            policy.MaxSessionsPerUser,
            ActiveSessionLimitResponse.From(policy.ActiveSessionLimit),
            [.. policy.Clients.Select(c => new ClientPolicyResponse(c.ClientId, Seconds(c.ExpiresIn), Seconds(c.IdleTimeout), ActiveSessionLimitResponse.From(c.ActiveSessionLimit)))],
            stored.Version,
            stored.UpdatedAt,
            stored.UpdatedBy,
            new PolicyDefaultsResponse(
                (long)defaults.ExpiresIn.TotalSeconds, (long)defaults.IdleTimeout.TotalSeconds, defaults.MaxSessionsPerUser, ActiveSessionLimitResponse.From(defaults.ActiveSessionLimit)));
    }

    private static long? Seconds(TimeSpan? value) => value is { } v ? (long)v.TotalSeconds : null;
}
