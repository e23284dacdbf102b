using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Hosting;

namespace Orleans.Sessions.Api.Telemetry;

/// <summary>
/// The service's own counters, on the <c>Orleans.Sessions</c> meter of the host's <see cref="IMeterFactory"/>
/// (so each host, and each test host, has its own; exported by <see cref="SessionsTelemetry"/>).
/// </summary>
public sealed class SessionsMetrics
{
    private readonly Counter<long> _signOns;
    private readonly Counter<long> _revocations;
    private readonly Counter<long> _refusals;

    public SessionsMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(SessionsTelemetry.Name);
        _signOns = meter.CreateCounter<long>("sessions.sign_ons", "{session}", "Sessions created by sign-ons.");
        _revocations = meter.CreateCounter<long>("sessions.revocations", "{session}", "Sessions revoked.");
        _refusals = meter.CreateCounter<long>("sessions.refusals", "{request}", "Requests refused by authentication, authorization or rate limiting.");
    }

    /// <summary>A session created by a sign-on.</summary>
    public void SignedOn() => _signOns.Add(1);

    /// <summary>Sessions ended on someone's authority (revoke, logout, delete), by the kind of credential.</summary>
    public void Revoked(int count, CallerKind kind) => _revocations.Add(count, new KeyValuePair<string, object?>("credential.kind", kind.ToString()));

    /// <summary>A request refused before its handler, by why (missing or invalid credential, forbidden, TOTP, rate limit) and surface.</summary>
    public void Refused(AuthFailure failure, HttpContext context) => _refusals.Add(
        1,
        new KeyValuePair<string, object?>("reason", failure.ToString()),
        new KeyValuePair<string, object?>("surface", ApiSurface.For(context).GetType().Name.Replace("Surface", "", StringComparison.Ordinal).ToLowerInvariant()));
}
