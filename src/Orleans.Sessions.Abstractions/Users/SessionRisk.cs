using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Orleans.Sessions.Users;

/// <summary>
/// What the risk evaluation found unusual about a session (docs/risk.md): the signals raised over its life (a signal
/// once raised stays), their score 0–100 from the configured weights, and when it was last evaluated.
/// </summary>
[GenerateSerializer, Immutable, Alias("sessions.Risk")]
public sealed record SessionRisk(
    [property: Id(0)] ImmutableArray<string> Signals,
    [property: Id(1)] int Score,
    [property: Id(2)] DateTimeOffset EvaluatedAt)
{
    /// <summary>
    /// The score before the evaluation that last raised a signal; null when that was the sign-on (there was no score
    /// before). What a Shared Signals <c>risk-level-change</c> compares (docs/shared-signals.md).
    /// </summary>
    [Id(3)] public int? PreviousScore { get; init; }

    /// <summary>The score as CAEP's levels (<c>LOW</c> below 40, <c>MEDIUM</c> below 70, <c>HIGH</c>).</summary>
    public static string Level(int score) => score switch
    {
        < 40 => "LOW",
        < 70 => "MEDIUM",
        _ => "HIGH",
    };

    public bool Equals(SessionRisk? other) =>
        other is not null && Score == other.Score && EvaluatedAt == other.EvaluatedAt && PreviousScore == other.PreviousScore
        && Signals.AsSpan().SequenceEqual(other.Signals.AsSpan());

    public override int GetHashCode() => HashCode.Combine(Score, EvaluatedAt, PreviousScore, Signals.Length);
}

/// <summary>The risk signals (docs/risk.md, "Signals"), as the API, filters, counts and metrics name them.</summary>
public static class RiskSignals
{
    public const string NewDevice = "new_device";
    public const string NewCountry = "new_country";
    public const string ImpossibleTravel = "impossible_travel";
    public const string ConcurrentDistant = "concurrent_distant";
    public const string AnonymousNetwork = "anonymous_network";
    public const string BotAgent = "bot_agent";

    /// <summary>Every signal, in the order a session's signals are listed.</summary>
    public static ImmutableArray<string> All { get; } = [NewDevice, NewCountry, ImpossibleTravel, ConcurrentDistant, AnonymousNetwork, BotAgent];

    private static readonly FrozenDictionary<string, int> Order = All.Select((s, i) => (s, i)).ToFrozenDictionary(p => p.s, p => p.i, StringComparer.Ordinal);

    public static bool IsKnown(string? signal) => signal is not null && Order.ContainsKey(signal);

    /// <summary>The position of <paramref name="signal"/> in <see cref="All"/>.</summary>
    public static int IndexOf(string signal) => Order[signal];
}
