using System.Collections.Immutable;

namespace Orleans.Sessions.Policy;

/// <summary>
/// A tenant's session policy, set at run time (docs/policy.md): what it leaves unset, configuration decides. It
/// applies from the next sign-on; sessions already made keep their lifetimes.
/// </summary>
[GenerateSerializer, Immutable, Alias("sessions.TenantPolicy")]
public sealed record TenantPolicy
{
    /// <summary>How many clients a policy may name.</summary>
    public const int MaxClients = 100;

    public static readonly TenantPolicy None = new();

    /// <summary>A session's absolute lifetime when the sign-on gives none.</summary>
    [Id(0)] public TimeSpan? ExpiresIn { get; init; }

    /// <summary>A session's idle timeout when the sign-on gives none.</summary>
    [Id(1)] public TimeSpan? IdleTimeout { get; init; }

    /// <summary>How many sessions (active or ended) a user's ring keeps; at most <c>Sessions:MaxSessionsPerUser</c>.</summary>
    [Id(2)] public int? MaxSessionsPerUser { get; init; }

    /// <summary>Active sessions per user.</summary>
    [Id(3)] public ActiveSessionLimit? ActiveSessionLimit { get; init; }

    /// <summary>What differs for sign-ons naming a client id, at most one entry per client id.</summary>
    [Id(4)] public ImmutableArray<ClientPolicy> Clients { get; init; } = [];

    /// <summary>The risk evaluation's settings for this tenant (docs/risk.md).</summary>
    [Id(5)] public RiskPolicy? Risk { get; init; }

    /// <summary>The entry for <paramref name="clientId"/>, if the policy has one.</summary>
    public ClientPolicy? ForClient(string? clientId)
    {
        if (clientId is null || Clients.IsDefaultOrEmpty)
        {
            return null;
        }

        foreach (var client in Clients)
        {
            if (client.ClientId == clientId)
            {
                return client;
            }
        }

        return null;
    }

    public bool Equals(TenantPolicy? other) =>
        other is not null && ExpiresIn == other.ExpiresIn && IdleTimeout == other.IdleTimeout && MaxSessionsPerUser == other.MaxSessionsPerUser
        && ActiveSessionLimit == other.ActiveSessionLimit && Clients.AsSpan().SequenceEqual(other.Clients.AsSpan()) && Risk == other.Risk;

    public override int GetHashCode() => HashCode.Combine(ExpiresIn, IdleTimeout, MaxSessionsPerUser, ActiveSessionLimit, Clients.Length);
}

/// <summary>What a tenant policy sets for sign-ons naming <see cref="ClientId"/>.</summary>
[GenerateSerializer, Immutable, Alias("sessions.ClientPolicy")]
public sealed record ClientPolicy
{
    [Id(0)] public required string ClientId { get; init; }

    [Id(1)] public TimeSpan? ExpiresIn { get; init; }

    [Id(2)] public TimeSpan? IdleTimeout { get; init; }

    /// <summary>Active sessions per user that this client signed on (or used).</summary>
    [Id(3)] public ActiveSessionLimit? ActiveSessionLimit { get; init; }
}

/// <summary>A tenant's policy as stored: the policy, its version (the ETag), and who set it when.</summary>
[GenerateSerializer, Immutable, Alias("sessions.StoredTenantPolicy")]
public sealed record StoredTenantPolicy
{
    [Id(0)] public TenantPolicy Policy { get; init; } = TenantPolicy.None;

    /// <summary>0 until a policy is first set; one more at each change.</summary>
    [Id(1)] public long Version { get; init; }

    [Id(2)] public DateTimeOffset? UpdatedAt { get; init; }

    [Id(3)] public string? UpdatedBy { get; init; }
}

/// <summary>The tenant's policy and what configuration gives where it sets nothing (the configuration of the silo that answered).</summary>
[GenerateSerializer, Immutable, Alias("sessions.TenantPolicyView")]
public sealed record TenantPolicyView([property: Id(0)] StoredTenantPolicy Stored, [property: Id(1)] PolicyDefaults Defaults);

/// <summary>What configuration gives a tenant without a policy.</summary>
[GenerateSerializer, Immutable, Alias("sessions.PolicyDefaults")]
public sealed record PolicyDefaults(
    [property: Id(0)] TimeSpan ExpiresIn,
    [property: Id(1)] TimeSpan IdleTimeout,
    [property: Id(2)] int MaxSessionsPerUser,
    [property: Id(3)] ActiveSessionLimit? ActiveSessionLimit)
{
    /// <summary>Configuration's risk settings (every member set).</summary>
    [Id(4)] public RiskPolicy? Risk { get; init; }
}

/// <summary>Why a policy change was refused.</summary>
[GenerateSerializer, Alias("sessions.PolicyError")]
public enum PolicyError
{
    None = 0,

    /// <summary>The version the caller read is not the current one (HTTP 412).</summary>
    VersionMismatch = 1,

    /// <summary>The ring size is above <c>Sessions:MaxSessionsPerUser</c> (HTTP 400).</summary>
    RingTooLarge = 2,
}

/// <summary>The answer to a policy change: the policy as it is now, and why the change was refused, if it was.</summary>
[GenerateSerializer, Immutable, Alias("sessions.PolicyChange")]
public sealed record PolicyChange([property: Id(0)] PolicyError Error, [property: Id(1)] TenantPolicyView View);
