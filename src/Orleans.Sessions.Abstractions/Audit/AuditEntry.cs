using System.Collections.Immutable;

namespace Orleans.Sessions.Audit;

/// <summary>The kinds of audit entries (docs/audit.md): a session's ending, or an administrative change.</summary>
public static class AuditKinds
{
    public const string SignOut = "sign-out";
    public const string Revoke = "revoke";
    public const string RevokeAll = "revoke-all";
    public const string RevokeByQuery = "revoke-by-query";
    public const string Eviction = "eviction";
    public const string Expiry = "expiry";
    public const string Admin = "admin";

    public static ImmutableArray<string> All { get; } = [SignOut, Revoke, RevokeAll, RevokeByQuery, Eviction, Expiry, Admin];
}

/// <summary>
/// One entry of a tenant's audit history (docs/audit.md): who (<see cref="Actor"/>, a credential's name, <c>self</c> or
/// <c>system</c>) did what (<see cref="Kind"/>; for an administrative change the <see cref="Operation"/> and its
/// <see cref="Target"/>) to which user's session, when and why. <see cref="Position"/> orders a tenant's entries.
/// </summary>
[GenerateSerializer, Immutable, Alias("sessions.AuditEntry")]
public sealed record AuditEntry
{
    [Id(0)] public long Position { get; init; }

    [Id(1)] public required string Id { get; init; }

    [Id(2)] public required string Tenant { get; init; }

    [Id(3)] public required DateTimeOffset OccurredAt { get; init; }

    [Id(4)] public required string Kind { get; init; }

    [Id(5)] public required string Actor { get; init; }

    [Id(6)] public string? UserId { get; init; }

    [Id(7)] public string? SessionId { get; init; }

    [Id(8)] public string? Reason { get; init; }

    /// <summary>An administrative change's operation (the OpenAPI operation id, e.g. <c>PutTenantPolicy</c>).</summary>
    [Id(9)] public string? Operation { get; init; }

    /// <summary>What an administrative change was made to (its path below the tenant, e.g. <c>webhooks/ep_…</c>).</summary>
    [Id(10)] public string? Target { get; init; }
}

/// <summary>Which entries of a tenant's history to read: newest first, below <see cref="Before"/> (a position).</summary>
[GenerateSerializer, Immutable, Alias("sessions.AuditQuery")]
public sealed record AuditQuery
{
    [Id(0)] public string? UserId { get; init; }

    [Id(1)] public string? Actor { get; init; }

    [Id(2)] public string? Kind { get; init; }

    /// <summary>Entries at or after this time.</summary>
    [Id(3)] public DateTimeOffset? Since { get; init; }

    /// <summary>Entries before this time.</summary>
    [Id(4)] public DateTimeOffset? Until { get; init; }

    /// <summary>Entries below this position (the last one of the page before); null from the newest.</summary>
    [Id(5)] public long? Before { get; init; }

    [Id(6)] public int Limit { get; init; } = 100;
}

/// <summary>A tenant's audit history (key = tenant), read and appended to on any silo.</summary>
[Alias("sessions.IAuditGrain")]
public interface IAuditGrain : IGrainWithStringKey
{
    /// <summary>The entries <paramref name="query"/> selects, newest first.</summary>
    [Alias("Read")]
    Task<ImmutableArray<AuditEntry>> ReadAsync(AuditQuery query);

    /// <summary>Enters an administrative change, timed and numbered by the silo; returns once it is stored.</summary>
    [Alias("Record")]
    Task RecordAsync(AdminChange change);
}

/// <summary>An administrative change made through the API: who (a credential's name), which operation, on what.</summary>
[GenerateSerializer, Immutable, Alias("sessions.AdminChange")]
public sealed record AdminChange([property: Id(0)] string Actor, [property: Id(1)] string Operation, [property: Id(2)] string? Target);
