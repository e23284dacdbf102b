using System.Collections.Immutable;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.SessionDirectory;

/// <summary>
/// What the directory keeps of one active session: the fields list-all filters, sorts and shows (docs/api.md,
/// "List-all"), and no more. Times are UTC ticks to keep it small.
/// </summary>
[GenerateSerializer, Immutable, Alias("sessions.SessionSummary")]
public sealed record SessionSummary
{
    [Id(0)] public required string SessionId { get; init; }
    [Id(1)] public required string UserId { get; init; }
    [Id(2)] public required long CreatedAt { get; init; }
    [Id(3)] public required long ActiveAt { get; init; }
    [Id(4)] public required long ExpiresAt { get; init; }
    [Id(5)] public required long IdleExpiresAt { get; init; }
    [Id(6)] public required string AuthMethod { get; init; }
    [Id(7)] public ImmutableArray<string> ClientIds { get; init; } = [];
    [Id(8)] public required string Ip { get; init; }
    [Id(9)] public string? CountryCode { get; init; }
    [Id(10)] public string? City { get; init; }
    [Id(11)] public required string Browser { get; init; }
    [Id(12)] public string? BrowserVersion { get; init; }
    [Id(13)] public required string Os { get; init; }
    [Id(14)] public string? OsVersion { get; init; }
    [Id(15)] public required string DeviceType { get; init; }
    [Id(16)] public string? DeviceModel { get; init; }
    [Id(17)] public bool Impersonated { get; init; }
    [Id(18)] public string? PopulationId { get; init; }
    [Id(19)] public string? OrganizationId { get; init; }
    [Id(20)] public string? Host { get; init; }

    /// <summary>The session's metadata (the record's own immutable object), for list-all's <c>metadata.{key}</c> filters and answers.</summary>
    [Id(21)] public ImmutableSortedDictionary<string, MetadataValue>? Metadata { get; init; }

    /// <summary>The session's risk signals (docs/risk.md), for list-all's <c>risk</c> filter and counts.</summary>
    [Id(22)] public ImmutableArray<string> RiskSignals { get; init; } = [];

    /// <summary>The session's risk score, 0 without signals, for list-all's <c>minRiskScore</c>.</summary>
    [Id(23)] public int RiskScore { get; init; }

    /// <summary>When the session stops being active without further activity.</summary>
    public long EffectiveExpiry => IdleExpiresAt < ExpiresAt ? IdleExpiresAt : ExpiresAt;

    public static SessionSummary From(Session s) => new()
    {
        SessionId = s.Id,
        UserId = s.UserId,
        CreatedAt = s.CreatedAt.UtcTicks,
        ActiveAt = s.ActiveAt.UtcTicks,
        ExpiresAt = s.ExpiresAt.UtcTicks,
        IdleExpiresAt = s.IdleExpiresAt.UtcTicks,
        AuthMethod = s.AuthMethod,
        ClientIds = s.ClientIds,
        Ip = s.Locations.IsEmpty ? s.LastSignOn.Ip : s.Locations[0].Ip,
        CountryCode = s.Locations.IsEmpty ? null : s.Locations[0].CountryCode,
        City = s.Locations.IsEmpty ? null : s.Locations[0].City,
        Browser = s.Device.Browser.Name,
        BrowserVersion = s.Device.Browser.Version,
        Os = s.Device.Os.Name,
        OsVersion = s.Device.Os.Version,
        DeviceType = s.Device.Type,
        DeviceModel = s.Device.Model,
        Impersonated = s.Impersonator is not null,
        PopulationId = s.PopulationId,
        OrganizationId = s.OrganizationId,
        Host = s.Host,
        Metadata = s.Metadata,
        RiskSignals = s.Risk?.Signals ?? [],
        RiskScore = s.Risk?.Score ?? 0,
    };
}

/// <summary>
/// Everything the directory should know of one user now: their display data and active sessions. Each
/// update replaces the previous one; a shard applies only updates whose <see cref="Revision"/> is above the
/// last it applied (one-way messages may arrive out of order).
/// </summary>
[GenerateSerializer, Immutable, Alias("sessions.DirectoryUserUpdate")]
public sealed record DirectoryUserUpdate(
    [property: Id(0)] string UserId,
    [property: Id(1)] long Revision,
    [property: Id(3)] string? UserName,
    [property: Id(4)] string? DisplayName,
    [property: Id(5)] ImmutableArray<SessionSummary> ActiveSessions);

/// <summary>The orders list-all can be read in.</summary>
[GenerateSerializer, Alias("sessions.DirectorySort")]
public enum DirectorySort
{
    LoginAt = 0,
    ActiveAt = 1,
    ExpiresAt = 2,
    UserName = 3,
    Browser = 4,
    Os = 5,
}

/// <summary>An IPv4 or IPv6 network (an address is a /32 or /128).</summary>
[GenerateSerializer, Immutable, Alias("sessions.IpNetwork")]
public sealed record IpNetworkFilter([property: Id(0)] string Network, [property: Id(1)] int PrefixLength);

/// <summary>The structured filters and the regular expression of list-all; null means "any".</summary>
[GenerateSerializer, Immutable, Alias("sessions.DirectoryFilter")]
public sealed record DirectoryFilter
{
    public const int MaxPatternLength = 256;

    /// <summary>Case-insensitive regular expression over user name, display name, user id, IP, browser, OS and device.</summary>
    [Id(0)] public string? Pattern { get; init; }
    [Id(1)] public string? UserId { get; init; }
    [Id(2)] public string? ClientId { get; init; }
    [Id(3)] public string? AuthMethod { get; init; }
    [Id(4)] public string? CountryCode { get; init; }
    [Id(5)] public string? DeviceType { get; init; }
    [Id(6)] public IpNetworkFilter? Ip { get; init; }
    [Id(7)] public long? ActiveSince { get; init; }
    [Id(8)] public long? ActiveBefore { get; init; }
    [Id(9)] public bool? Impersonated { get; init; }

    /// <summary>The caller's scope: a key limited to populations sees only the sessions that carry one of them (null or all: every session).</summary>
    [Id(10)] public SessionScope? Scope { get; init; }

    /// <summary>One session by its id (to find whose it is, for APIs that name only the session).</summary>
    [Id(11)] public string? SessionId { get; init; }

    /// <summary>Metadata a session must have: each key with exactly this value, as its JSON text reads (a string's own text, <c>true</c>, <c>5.10</c>).</summary>
    [Id(12)] public ImmutableSortedDictionary<string, string>? Metadata { get; init; }

    /// <summary>Sessions created before this time (UTC ticks): a revoke-by-query job's cut-off.</summary>
    [Id(13)] public long? CreatedBefore { get; init; }

    /// <summary>Sessions with this risk signal.</summary>
    [Id(14)] public string? RiskSignal { get; init; }

    /// <summary>Sessions whose risk score is at least this.</summary>
    [Id(15)] public int? MinRiskScore { get; init; }

    /// <summary>How many metadata filters a query may have.</summary>
    public const int MaxMetadataFilters = 8;
}

/// <summary>A keyset position: the sort key of the last item seen (a number or a text) and its session id.</summary>
[GenerateSerializer, Immutable, Alias("sessions.DirectoryPosition")]
public sealed record DirectoryPosition(
    [property: Id(0)] long Number,
    [property: Id(1)] string? Text,
    [property: Id(2)] string SessionId);

[GenerateSerializer, Immutable, Alias("sessions.DirectoryQuery")]
public sealed record DirectoryQuery
{
    public const int MaxLimit = 500;
    public const int DefaultLimit = 50;
    public const int MaxOffset = 1_000;

    [Id(0)] public DirectoryFilter Filter { get; init; } = new();
    [Id(1)] public DirectorySort Sort { get; init; } = DirectorySort.LoginAt;
    [Id(2)] public bool Descending { get; init; } = true;

    /// <summary>How many items the answer holds at most: the page size.</summary>
    [Id(3)] public int Take { get; init; } = DefaultLimit;

    /// <summary>The keyset position the page starts after (a cursor).</summary>
    [Id(4)] public DirectoryPosition? After { get; init; }

    /// <summary>
    /// How many matches the page skips first (a page number, for APIs without cursors). Applied where the
    /// shards' answers are merged: a shard is asked for its first <c>Offset + Take + 1</c> matches.
    /// </summary>
    [Id(6)] public int Offset { get; init; }
}

/// <summary>One list-all item: a session summary with its user's display data.</summary>
[GenerateSerializer, Immutable, Alias("sessions.DirectoryItem")]
public sealed record DirectoryItem(
    [property: Id(0)] SessionSummary Session,
    [property: Id(1)] string? UserName,
    [property: Id(2)] string? DisplayName);

/// <summary>
/// A shard's answer: its first <see cref="DirectoryQuery.Take"/> matches in order, how many match in all, and whether
/// the shard is still rebuilding itself after its activation (so it may not have every user's sessions yet).
/// </summary>
[GenerateSerializer, Immutable, Alias("sessions.DirectorySlice")]
public sealed record DirectorySlice(
    [property: Id(0)] ImmutableArray<DirectoryItem> Items,
    [property: Id(1)] int Total,
    [property: Id(2)] bool Rebuilding = false);

/// <summary>A page of list-all: its items, how many match in all, and the position the next page starts after (null on the last page).</summary>
[GenerateSerializer, Immutable, Alias("sessions.DirectoryPage")]
public sealed record DirectoryPage(
    [property: Id(0)] ImmutableArray<DirectoryItem> Items,
    [property: Id(1)] int Total,
    [property: Id(2)] DirectoryPosition? Next);

[GenerateSerializer, Immutable, Alias("sessions.DirectoryCounts")]
public sealed record DirectoryCounts(
    [property: Id(0)] int Total,
    [property: Id(1)] ImmutableDictionary<string, int> ByCountry,
    [property: Id(2)] ImmutableDictionary<string, int> ByDeviceType)
{
    /// <summary>Sessions by risk signal (a session with two signals counts under both).</summary>
    [Id(3)] public ImmutableDictionary<string, int> ByRisk { get; init; } = ImmutableDictionary<string, int>.Empty;

    /// <summary>Sessions by the method of their last sign-on.</summary>
    [Id(4)] public ImmutableDictionary<string, int> ByAuthMethod { get; init; } = ImmutableDictionary<string, int>.Empty;
}
