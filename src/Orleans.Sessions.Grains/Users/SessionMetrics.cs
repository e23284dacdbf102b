using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Orleans.Sessions.Users;

/// <summary>
/// What happens to sessions, counted where it happens — in the user grains (docs/operations.md, "Metrics"): sign-ons by
/// authentication method and device type, activities, sign-outs and evictions. Tags are tenant-free, and their
/// values bounded: the first <see cref="MaxTagValues"/> distinct values of a tag a silo sees keep their names (the
/// authentication method is the caller's free text), later ones count as <c>other</c>.
/// </summary>
public sealed class SessionMetrics
{
    public const int MaxTagValues = 32;

    private readonly Counter<long> _signOns;
    private readonly Counter<long> _activities;
    private readonly Counter<long> _signOuts;
    private readonly Counter<long> _evictions;
    private readonly Counter<long> _events;
    private readonly Counter<long> _jobSessions;
    private readonly Counter<long> _riskSignals;
    private readonly ConcurrentDictionary<string, string> _authMethods = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, string> _deviceTypes = new(StringComparer.OrdinalIgnoreCase);

    public SessionMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(SessionsMeter.Name);
        _signOns = meter.CreateCounter<long>("sessions.sign_ons", "{session}", "Sessions created by sign-ons.");
        _activities = meter.CreateCounter<long>("sessions.activities", "{activity}", "Activity recorded on active sessions.");
        _signOuts = meter.CreateCounter<long>("sessions.sign_outs", "{session}", "Sessions ended by their user signing out.");
        _events = meter.CreateCounter<long>("sessions.events", "{event}", "Session events stored (with their changes, into the event log), by type.");
        _evictions = meter.CreateCounter<long>("sessions.evictions", "{session}", "Active sessions ended to make room: over the active limit, or dropped from a full ring.");
        _riskSignals = meter.CreateCounter<long>("sessions.risk.signals", "{signal}", "Risk signals raised on sessions, by signal (docs/risk.md).");
        _jobSessions = meter.CreateCounter<long>("sessions.revoke_jobs.sessions", "{session}", "Sessions revoke-by-query jobs came to: ended, skipped (ended otherwise) or failed.");
    }

    /// <summary>A revoke-by-query round's sessions, by <paramref name="outcome"/>: <c>ended</c>, <c>skipped</c> or <c>failed</c>.</summary>
    public void JobSessions(string outcome, long count)
    {
        if (count > 0)
        {
            _jobSessions.Add(count, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    public void SignedOn(string authMethod, string deviceType) => _signOns.Add(
        1,
        new KeyValuePair<string, object?>("auth_method", Bounded(_authMethods, authMethod)),
        new KeyValuePair<string, object?>("device_type", Bounded(_deviceTypes, deviceType)));

    public void RecordedActivity() => _activities.Add(1);

    /// <summary>Signals an assessment raised on a session that did not have them.</summary>
    public void RiskSignals(IEnumerable<string> signals)
    {
        foreach (var signal in signals)
        {
            _riskSignals.Add(1, new KeyValuePair<string, object?>("signal", signal));
        }
    }

    /// <summary>Events stored with a change.</summary>
    public void EventsStored(IEnumerable<Orleans.Sessions.Events.SessionEvent> events)
    {
        foreach (var stored in events)
        {
            _events.Add(1, new KeyValuePair<string, object?>("type", Orleans.Sessions.Events.SessionEventTypes.Name(stored.Type)));
        }
    }

    public void SignedOut() => _signOuts.Add(1);

    /// <summary><paramref name="count"/> active sessions ended by a sign-on: <c>active_limit</c>, <c>client_limit</c> or <c>ring_full</c>.</summary>
    public void Evicted(int count, string reason)
    {
        if (count > 0)
        {
            _evictions.Add(count, new KeyValuePair<string, object?>("reason", reason));
        }
    }

    private static string Bounded(ConcurrentDictionary<string, string> seen, string value)
    {
        if (seen.TryGetValue(value, out var name))
        {
            return name;
        }

        return seen.Count < MaxTagValues ? seen.GetOrAdd(value, value.ToLowerInvariant()) : "other";
    }
}
