namespace Orleans.Sessions.Api.Tests.Contract;

/// <summary>
/// A host of the contract test's own, whose state it compares before and after every refused request: webhook endpoints
/// on loopback are allowed, so that generated registrations can succeed (their deliveries are refused at once, port 9).
/// </summary>
public sealed class ContractApiFactory : SessionsApiFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        [Orleans.Sessions.Api.Webhooks.WebhooksApi.AllowPrivateNetworksKey] = "true",
        ["Sessions:SharedSignals:LongPollTimeout"] = "00:00:00.100", // A generated poll waits a moment, not 30 s.
    };
}
