using System.Collections.Immutable;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Orleans.Sessions.Api.Canonical;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Policy;
using Orleans.Sessions.Users;

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
    [property: MaxLength(TenantPolicy.MaxClients), Description("What differs for sign-ons naming a client id; each client id once.")] ClientPolicyInput[]? Clients,
    [property: Description("The risk evaluation's settings for this tenant (docs/risk.md).")] RiskPolicyInput? Risk = null) : IValidatable
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

        var risk = Risk?.Read(errors, "risk");
        _policy = errors.IsEmpty
            ? new TenantPolicy { ExpiresIn = expiresIn, IdleTimeout = idleTimeout, MaxSessionsPerUser = MaxSessionsPerUser, ActiveSessionLimit = limit, Clients = [.. clients], Risk = risk }
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

/// <summary>What a tenant policy sets for the risk evaluation (docs/risk.md, "Settings"): a member left out keeps configuration's value.</summary>
[RequestContract]
public sealed record RiskPolicyInput(
    [property: Description("Whether sign-ons and activity are evaluated at all.")] bool? Enabled,
    [property: Range(RiskPolicy.MinMemorySeconds, RiskPolicy.MaxMemorySeconds), Description("Seconds a device stays known to its user after it was last seen (new_device).")] long? DeviceMemory,
    [property: Range(RiskPolicy.MinMemorySeconds, RiskPolicy.MaxMemorySeconds), Description("Seconds a country stays known to its user after it was last seen (new_country).")] long? CountryMemory,
    [property: Range(1, RiskPolicy.MaxSpeedLimitKmh), Description("Great-circle speed in km/h above which travel between two places is impossible (impossible_travel).")] int? MaxSpeedKmh,
    [property: Range(0, RiskPolicy.MaxDistanceKm), Description("Kilometres two places must be apart for travel between them to be judged at all.")] int? MinTravelKm,
    [property: Range(1, RiskPolicy.MaxDistanceKm), Description("Kilometres apart two active sessions' places must be (concurrent_distant).")] int? DistantKm,
    [property: Description("Each signal's weight in the score, 0–100, by signal name; signals left out keep configuration's weight.")] Dictionary<string, int>? Weights)
{
    public RiskPolicy? Read(InputErrors errors, string field)
    {
        var before = errors.Count;
        var deviceMemory = InputRules.Seconds(errors, $"{field}.deviceMemory", DeviceMemory, RiskPolicy.MinMemorySeconds, RiskPolicy.MaxMemorySeconds);
        var countryMemory = InputRules.Seconds(errors, $"{field}.countryMemory", CountryMemory, RiskPolicy.MinMemorySeconds, RiskPolicy.MaxMemorySeconds);
        Check(errors, $"{field}.maxSpeedKmh", MaxSpeedKmh, 1, RiskPolicy.MaxSpeedLimitKmh);
        Check(errors, $"{field}.minTravelKm", MinTravelKm, 0, RiskPolicy.MaxDistanceKm);
        Check(errors, $"{field}.distantKm", DistantKm, 1, RiskPolicy.MaxDistanceKm);
        foreach (var (signal, weight) in Weights ?? [])
        {
            if (RiskPolicy.WeightProblem(signal, weight) is { } problem)
            {
                // A name that is no signal is the map's fault; a bad weight is that entry's.
                var at = RiskSignals.IsKnown(signal) ? $"{field}.weights.{signal}" : $"{field}.weights";
                errors.Add(at, $"'{field}.weights' entry '{(signal.Length > 40 ? signal[..40] + "…" : signal)}' {problem}.");
            }
        }

        return errors.Count == before
            ? new RiskPolicy
            {
                Enabled = Enabled,
                DeviceMemory = deviceMemory,
                CountryMemory = countryMemory,
                MaxSpeedKmh = MaxSpeedKmh,
                MinTravelKm = MinTravelKm,
                DistantKm = DistantKm,
                Weights = Weights is { Count: > 0 } weights ? weights.ToImmutableSortedDictionary(StringComparer.Ordinal) : null,
            }
            : null;
    }

    private static void Check(InputErrors errors, string field, int? value, int min, int max)
    {
        if (value is { } v && (v < min || v > max))
        {
            errors.Add(field, $"'{field}' must be between {min} and {max}.");
        }
    }
}

/// <summary>Risk settings in a policy answer: lifetimes in seconds; null members are configuration's.</summary>
public sealed record RiskPolicyResponse(
    bool? Enabled, long? DeviceMemory, long? CountryMemory, int? MaxSpeedKmh, int? MinTravelKm, int? DistantKm, IReadOnlyDictionary<string, int>? Weights)
{
    public static RiskPolicyResponse? From(RiskPolicy? risk) => risk is null
        ? null
        : new(
            risk.Enabled,
            risk.DeviceMemory is { } device ? (long)device.TotalSeconds : null,
            risk.CountryMemory is { } country ? (long)country.TotalSeconds : null,
            risk.MaxSpeedKmh,
            risk.MinTravelKm,
            risk.DistantKm,
            risk.Weights);
}

public sealed record ActiveSessionLimitResponse(int Max, string OnLimit)
{
    public static ActiveSessionLimitResponse? From(ActiveSessionLimit? limit) =>
        limit is null ? null : new(limit.Max, limit.OnLimit == ActiveSessionLimitPolicy.Refuse ? "refuse" : "endOldest");
}

public sealed record ClientPolicyResponse(string ClientId, long? ExpiresIn, long? IdleTimeout, ActiveSessionLimitResponse? ActiveSessionLimit);

/// <summary>What configuration gives where the policy sets nothing.</summary>
public sealed record PolicyDefaultsResponse(long ExpiresIn, long IdleTimeout, int MaxSessionsPerUser, ActiveSessionLimitResponse? ActiveSessionLimit, RiskPolicyResponse? Risk);

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
    PolicyDefaultsResponse Defaults,
    RiskPolicyResponse? Risk)
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
                (long)defaults.ExpiresIn.TotalSeconds,
                (long)defaults.IdleTimeout.TotalSeconds,
                defaults.MaxSessionsPerUser,
                ActiveSessionLimitResponse.From(defaults.ActiveSessionLimit),
                RiskPolicyResponse.From(defaults.Risk)),
            RiskPolicyResponse.From(policy.Risk));
    }

    private static long? Seconds(TimeSpan? value) => value is { } v ? (long)v.TotalSeconds : null;
}
