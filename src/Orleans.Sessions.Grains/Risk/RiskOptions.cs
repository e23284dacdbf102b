using System.ComponentModel.DataAnnotations;
using Orleans.Sessions.Policy;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Risk;

/// <summary>The <c>Sessions:Risk</c> configuration section (docs/risk.md, "Settings"); a tenant's policy may override most of it.</summary>
public sealed class RiskOptions : IValidatableObject
{
    /// <summary>Whether sign-ons, re-authentications and activity from new addresses are evaluated.</summary>
    public bool Enabled { get; set; } = true;

    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan DeviceMemory { get; set; } = TimeSpan.FromDays(90);

    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan CountryMemory { get; set; } = TimeSpan.FromDays(90);

    [Range(1, RiskPolicy.MaxSpeedLimitKmh)]
    public int MaxSpeedKmh { get; set; } = 900;

    [Range(0, RiskPolicy.MaxDistanceKm)]
    public int MinTravelKm { get; set; } = 300;

    [Range(1, RiskPolicy.MaxDistanceKm)]
    public int DistantKm { get; set; } = 1000;

    /// <summary>How many devices a user's history keeps (the least recently seen go first).</summary>
    [Range(1, 1000)]
    public int MaxDevices { get; set; } = 32;

    /// <summary>How many countries a user's history keeps (the least recently seen go first).</summary>
    [Range(1, 300)]
    public int MaxCountries { get; set; } = 16;

    /// <summary>How many of the user's last places the history keeps, newest first.</summary>
    [Range(1, 100)]
    public int MaxPlaces { get; set; } = 4;

    /// <summary>Networks counted as hosting providers by their AS number, when no anonymous-IP database says so.</summary>
    public long[] HostingAsns { get; set; } =
    [
        16509, 14618, 8987,                 // Amazon Web Services
        8075,                               // Microsoft Azure
        396982, 19527,                      // Google Cloud
        14061,                              // DigitalOcean
        16276,                              // OVH
        24940,                              // Hetzner
        63949,                              // Akamai Connected Cloud (Linode)
        20473,                              // Vultr (Choopa)
        31898,                              // Oracle Cloud
        45102,                              // Alibaba Cloud
        132203,                             // Tencent Cloud
        9009,                               // M247
        60068,                              // Datacamp (CDN77)
    ];

    /// <summary>Authentication methods that involve no person (a bot agent on them is expected); every other method is interactive.</summary>
    public string[] NonInteractiveAuthMethods { get; set; } = ["refresh_token", "client_credentials", "api_key", "token", "service", "jwt_bearer"];

    /// <summary>Each signal's weight in the score (docs/risk.md, "Score").</summary>
    public Dictionary<string, int> Weights { get; set; } = new(StringComparer.Ordinal)
    {
        [RiskSignals.NewDevice] = 20,
        [RiskSignals.NewCountry] = 30,
        [RiskSignals.ImpossibleTravel] = 60,
        [RiskSignals.ConcurrentDistant] = 40,
        [RiskSignals.AnonymousNetwork] = 30,
        [RiskSignals.BotAgent] = 50,
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (signal, weight) in Weights)
        {
            if (RiskPolicy.WeightProblem(signal, weight) is { } problem)
            {
                yield return new ValidationResult($"Sessions:Risk:Weights:{signal} {problem}.");
            }
        }
    }
}
