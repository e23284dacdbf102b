using Orleans.Sessions.Policy;

namespace Orleans.Sessions.Risk;

/// <summary>The risk settings of one evaluation: the tenant policy's where it sets them, configuration's where it does not (docs/risk.md).</summary>
internal readonly record struct RiskSettings(RiskOptions Options, RiskPolicy? Policy)
{
    public bool Enabled => Policy?.Enabled ?? Options.Enabled;

    public TimeSpan DeviceMemory => Policy?.DeviceMemory ?? Options.DeviceMemory;

    public TimeSpan CountryMemory => Policy?.CountryMemory ?? Options.CountryMemory;

    public int MaxSpeedKmh => Policy?.MaxSpeedKmh ?? Options.MaxSpeedKmh;

    public int MinTravelKm => Policy?.MinTravelKm ?? Options.MinTravelKm;

    public int DistantKm => Policy?.DistantKm ?? Options.DistantKm;

    public int Weight(string signal) =>
        Policy?.Weights is { } weights && weights.TryGetValue(signal, out var weight) ? weight : Options.Weights.GetValueOrDefault(signal);
}
