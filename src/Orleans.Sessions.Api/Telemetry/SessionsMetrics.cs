using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using Orleans.Sessions.Api.Auth;

namespace Orleans.Sessions.Api.Telemetry;

/// <summary>
/// What the HTTP side counts, on the <c>Orleans.Sessions</c> meter of the host's <see cref="IMeterFactory"/> (so each
/// host, and each test host, has its own): revocations by who asked, refusals by why, and session-token checks by
/// whether the host's short cache answered. What happens to sessions is counted by the user grains
/// (<c>SessionMetrics</c>); the metric names: docs/operations.md, "Metrics".
/// </summary>
public sealed class SessionsMetrics
{
    private readonly Counter<long> _revocations;
    private readonly Counter<long> _refusals;
    private readonly Counter<long> _tokenChecks;

    public SessionsMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(SessionsMeter.Name);
        _revocations = meter.CreateCounter<long>("sessions.revocations", "{session}", "Sessions revoked, by who asked: a key (one session), the user (self) or a revoke-all (bulk).");
        _refusals = meter.CreateCounter<long>("sessions.refusals", "{request}", "Requests refused by authentication, authorization or rate limiting.");
        _tokenChecks = meter.CreateCounter<long>("sessions.token_checks", "{check}", "Session-token checks, by whether the host's short cache answered (hit) or the user grain did (miss).");
    }

    /// <summary>
    /// Sessions ended on someone's authority (revoke, logout, delete): <c>bulk</c> when a revoke-all ended them,
    /// else <c>self</c> for an end user's session token and <c>key</c> for a service credential.
    /// </summary>
    public void Revoked(int count, CallerKind kind, bool all)
    {
        if (count > 0)
        {
            _revocations.Add(count, new KeyValuePair<string, object?>("by", all ? "bulk" : kind == CallerKind.SessionToken ? "self" : "key"));
        }
    }

    /// <summary>A request refused before its handler, by why (missing or invalid credential, forbidden, TOTP, rate limit) and surface.</summary>
    public void Refused(AuthFailure failure, HttpContext context) => _refusals.Add(
        1,
        new KeyValuePair<string, object?>("reason", failure.ToString()),
        new KeyValuePair<string, object?>("surface", ApiSurface.For(context).GetType().Name.Replace("Surface", "", StringComparison.Ordinal).ToLowerInvariant()));

    public void TokenChecked(bool cacheHit) => _tokenChecks.Add(1, new KeyValuePair<string, object?>("cache", cacheHit ? "hit" : "miss"));
}
