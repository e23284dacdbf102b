using System.Collections.Immutable;

namespace Orleans.Sessions.Policy;

/// <summary>
/// What a tenant's policy sets for the risk evaluation (docs/risk.md, "Settings"); what it leaves unset, configuration
/// (<c>Sessions:Risk:*</c>) decides.
/// </summary>
[GenerateSerializer, Immutable, Alias("sessions.RiskPolicy")]
public sealed record RiskPolicy
{
    // The bounds of each setting, the same in configuration and in a tenant's policy.
    public const int MaxSpeedLimitKmh = 100_000;
    public const int MaxDistanceKm = 20_000;
    public const int MaxWeight = 100;
    public const long MinMemorySeconds = 3_600;
    public const long MaxMemorySeconds = 3650L * 86_400;

    /// <summary>What is wrong with giving <paramref name="signal"/> the weight <paramref name="weight"/>; null when nothing is.</summary>
    public static string? WeightProblem(string signal, int weight) =>
        !Users.RiskSignals.IsKnown(signal) ? $"names no risk signal ({string.Join(", ", Users.RiskSignals.All)})"
        : weight is < 0 or > MaxWeight ? $"must be between 0 and {MaxWeight}"
        : null;

    /// <summary>Whether sign-ons and activity are evaluated at all.</summary>
    [Id(0)] public bool? Enabled { get; init; }

    /// <summary>How long a device stays known to its user after it was last seen (<c>new_device</c>).</summary>
    [Id(1)] public TimeSpan? DeviceMemory { get; init; }

    /// <summary>How long a country stays known to its user after it was last seen (<c>new_country</c>).</summary>
    [Id(2)] public TimeSpan? CountryMemory { get; init; }

    /// <summary>The great-circle speed above which travel is impossible (<c>impossible_travel</c>).</summary>
    [Id(3)] public int? MaxSpeedKmh { get; init; }

    /// <summary>How far two places must be apart for travel between them to be judged at all (GeoIP is coarse).</summary>
    [Id(4)] public int? MinTravelKm { get; init; }

    /// <summary>How far apart two active sessions' places must be to be distant (<c>concurrent_distant</c>).</summary>
    [Id(5)] public int? DistantKm { get; init; }

    /// <summary>Each signal's weight in the score, 0–100; signals it does not name keep configuration's weight.</summary>
    [Id(6)] public ImmutableSortedDictionary<string, int>? Weights { get; init; }

    public bool Equals(RiskPolicy? other) =>
        other is not null && Enabled == other.Enabled && DeviceMemory == other.DeviceMemory && CountryMemory == other.CountryMemory
        && MaxSpeedKmh == other.MaxSpeedKmh && MinTravelKm == other.MinTravelKm && DistantKm == other.DistantKm
        && (Weights ?? ImmutableSortedDictionary<string, int>.Empty).SequenceEqual(other.Weights ?? ImmutableSortedDictionary<string, int>.Empty);

    public override int GetHashCode() => HashCode.Combine(Enabled, DeviceMemory, CountryMemory, MaxSpeedKmh, MinTravelKm, DistantKm, Weights?.Count);
}
