using System.Collections.Immutable;
using Orleans.Sessions.Events;
using Orleans.Sessions.Policy;
using Orleans.Sessions.Risk;

namespace Orleans.Sessions.Users;

/// <summary>
/// One user's bounded ring of sessions (docs/sessions.md, "Bounds", "Expiry") over <see cref="UserSessionsState"/>:
/// eviction of the oldest record, bounded locations, sign-ons and client ids, absolute and idle expiry,
/// and the status rules. Pure logic — time comes in as arguments — so it is tested without a cluster. Every change
/// of a session's status or sign-ons adds its event to <see cref="UserSessionsState.PendingEvents"/>, which the grain
/// stores with the change (docs/events.md, "The outbox").
/// </summary>
internal sealed class SessionRing(
    string tenant,
    string userId,
    UserSessionsState state,
    SessionsOptions options,
    SessionMetrics? metrics = null,
    RiskEvaluator? risk = null)
{
    public static readonly SessionEnd SignOutEnd = new("self", "sign-out");
    public static readonly SessionEnd ActiveLimitEnd = new("system", "active-session-limit");
    public static readonly SessionEnd RingFullEnd = new("system", "ring-full");
    public static readonly SessionEnd ClientLimitEnd = new("system", "client-session-limit");

    /// <summary>
    /// Creates a session under a new id, strictly above every id issued to this user before, and returns it with
    /// its end-user token (only the token's hash is kept).
    /// </summary>
    public SignOnResult SignOn(SignOnCommand command, SessionScope scope, DateTimeOffset now, TenantPolicy? policy = null)
    {
        if (!scope.Allows(command.PopulationId))
        {
            return new SignOnResult(SessionError.OutOfScope, null, null);
        }

        FoldExpired(now);
        var limits = SignOnLimits.Of(options, policy ?? TenantPolicy.None, command.ClientId);
        if (!MakeRoomForActive(command.ClientId, limits, now))
        {
            return new SignOnResult(SessionError.ActiveLimitReached, null, null);
        }

        // A full ring drops its oldest record: a dropped session, active or not, is gone and its token no longer works.
        while (state.Sessions.Count >= limits.RingSize)
        {
            if (state.Sessions[0].Session.Status == SessionStatus.Active)
            {
                metrics?.Evicted(1, "ring_full");
                Emit(SessionEventType.Evicted, End(state.Sessions[0].Session, SessionStatus.Evicted, RingFullEnd, now), now);
            }

            state.Sessions.RemoveAt(0);
        }

        var sessionId = SessionIdGenerator.Next(now, state.LastSessionId);
        var (token, tokenHash) = SessionToken.Create(tenant, userId, sessionId);
        var expiresAt = now + (command.ExpiresIn ?? limits.ExpiresIn);
        var idleTimeout = command.IdleTimeout ?? limits.IdleTimeout;
        // Values many sessions have in common are kept once (SharedValues); the IP is the session's own.
        var authMethod = SharedValues.Share(command.AuthMethod);
        var signOn = new SignOnEvent(now, command.Ip, authMethod);
        var session = new Session
        {
            Id = sessionId,
            Tenant = tenant,
            UserId = userId,
            Status = SessionStatus.Active,
            CreatedAt = now,
            ActiveAt = now,
            ExpiresAt = expiresAt,
            IdleExpiresAt = Min(now + idleTimeout, expiresAt),
            AuthMethod = authMethod,
            ClientIds = command.ClientId is null ? [] : [SharedValues.Share(command.ClientId)],
            OrganizationId = SharedValues.Share(command.OrganizationId),
            PopulationId = SharedValues.Share(command.PopulationId),
            Host = SharedValues.Share(command.Host),
            ExternalSessionId = command.ExternalSessionId,
            Metadata = command.Metadata is { Count: > 0 } metadata ? metadata : null,
            Impersonator = command.Impersonator,
            Device = SharedValues.Share(command.Device),
            LastSignOn = signOn,
            SignOns = [signOn],
            Locations = [GeoLocation.Of(now, command.Ip, SharedValues.Share(command.Place))],
            CreationIp = command.Ip,
        };

        session = Assess(session, new RiskInput(sessionId, session.Device, DeviceIsNew: true, authMethod, command.Place), policy, now, out var raised);
        state.Sessions.Add(new StoredSession { Session = session, TokenHash = tokenHash, IdleTimeout = idleTimeout });
        state.LastSessionId = sessionId;
        state.UserName = command.UserName ?? state.UserName;
        state.DisplayName = command.DisplayName ?? state.DisplayName;
        Emit(SessionEventType.Created, session, now);
        EmitRisk(session, raised, now);
        return new SignOnResult(SessionError.None, session, token);
    }

    /// <summary>
    /// Brings the active sessions under the limits of a sign-on for <paramref name="clientId"/> — the client's first, then
    /// the user's — ending the oldest where a limit says so; false, changing nothing, where a limit refuses instead.
    /// </summary>
    private bool MakeRoomForActive(string? clientId, SignOnLimits limits, DateTimeOffset now)
    {
        if (limits.PerUser is null && limits.PerClient is null)
        {
            return true;
        }

        var active = state.Sessions.Where(e => e.Session.Status == SessionStatus.Active).ToList();
        var ofClient = limits.PerClient is null ? [] : active.Where(e => e.Session.ClientIds.Contains(clientId!)).ToList();
        var clientExcess = limits.PerClient is { Max: var clientMax } ? Math.Max(0, ofClient.Count - clientMax + 1) : 0;
        var userCount = active.Count - (limits.PerClient?.OnLimit == ActiveSessionLimitPolicy.EndOldest ? clientExcess : 0);
        var userExcess = limits.PerUser is { Max: var userMax } ? Math.Max(0, userCount - userMax + 1) : 0;
        if ((clientExcess > 0 && limits.PerClient!.OnLimit == ActiveSessionLimitPolicy.Refuse)
            || (userExcess > 0 && limits.PerUser!.OnLimit == ActiveSessionLimitPolicy.Refuse))
        {
            return false;
        }

        EndOldest(ofClient.Take(clientExcess), ClientLimitEnd, "client_limit", now);
        EndOldest(active.Where(e => e.Session.Status == SessionStatus.Active).Take(userExcess), ActiveLimitEnd, "active_limit", now);
        return true;
    }

    private void EndOldest(IEnumerable<StoredSession> oldestFirst, SessionEnd end, string reason, DateTimeOffset now)
    {
        var ended = 0;
        foreach (var entry in oldestFirst)
        {
            entry.Session = End(entry.Session, SessionStatus.Evicted, end, now);
            Emit(SessionEventType.Evicted, entry.Session, now);
            ended++;
        }

        if (ended > 0)
        {
            metrics?.Evicted(ended, reason);
        }
    }

    /// <summary>A re-authentication of an active session: a new entry in its sign-on history, and its risk assessed again.</summary>
    public SessionOutcome Reauthenticate(string sessionId, ReauthenticateCommand command, SessionScope scope, DateTimeOffset now, TenantPolicy? policy = null)
    {
        var raised = ImmutableArray<string>.Empty;
        var outcome = UpdateActive(sessionId, scope, now, SessionEventType.Reauthenticated, entry =>
        {
            var session = entry.Session;
            var authMethod = SharedValues.Share(command.AuthMethod);
            var signOn = new SignOnEvent(now, command.Ip, authMethod);
            var expiresAt = command.ExpiresIn is { } expiresIn ? now + expiresIn : session.ExpiresAt;
            if (command.IdleTimeout is { } idle)
            {
                entry.IdleTimeout = idle;
            }

            var touched = Touch(session, entry.IdleTimeout, command.Ip, command.Place, command.ClientId, now) with
            {
                ExpiresAt = expiresAt,
                IdleExpiresAt = Min(now + entry.IdleTimeout, expiresAt),
                LastSignOn = signOn,
                SignOns = Prepend(session.SignOns, signOn, options.MaxSignOnsPerSession),
            };
            return Assess(touched, new RiskInput(sessionId, session.Device, DeviceIsNew: false, authMethod, command.Place), policy, now, out raised);
        });
        EmitRisk(outcome.Session, raised, now);
        return outcome;
    }

    /// <summary>
    /// The session was used: later <c>activeAt</c>, idle expiry pushed, a location when the IP changed — and then its risk
    /// assessed again from the new place.
    /// </summary>
    public SessionOutcome RecordActivity(string sessionId, ActivityCommand command, SessionScope scope, DateTimeOffset now, TenantPolicy? policy = null)
    {
        var raised = ImmutableArray<string>.Empty;
        var outcome = UpdateActive(sessionId, scope, now, null, entry =>
        {
            var touched = Touch(entry.Session, entry.IdleTimeout, command.Ip, command.Place, command.ClientId, now);
            if (touched.Locations == entry.Session.Locations)
            {
                if (risk is not null)
                {
                    RiskEvaluator.StillAt(state.Risk, command.Place, now); // the user is still where they were last seen
                }

                return touched;
            }

            return Assess(touched, new RiskInput(sessionId, touched.Device, DeviceIsNew: false, null, command.Place), policy, now, out raised);
        });
        EmitRisk(outcome.Session, raised, now);
        return outcome;
    }

    /// <summary>
    /// <paramref name="session"/> with its risk assessed (docs/risk.md) against the user's history and other active
    /// sessions, and the history told what was seen; <paramref name="raised"/> the signals the session did not have.
    /// </summary>
    private Session Assess(Session session, RiskInput input, TenantPolicy? policy, DateTimeOffset now, out ImmutableArray<string> raised)
    {
        raised = [];
        if (risk is null)
        {
            return session;
        }

        var settings = risk.Settings(policy?.Risk);
        if (!settings.Enabled)
        {
            return session;
        }

        var found = risk.Evaluate(state.Risk, settings, input, Active(now), now);
        risk.Remember(state.Risk, settings, input, now);
        return session with { Risk = RiskEvaluator.Combine(session.Risk, found, settings, now, out raised) };
    }

    /// <summary>A <c>session.risk</c> event when an assessment raised signals the session did not have.</summary>
    private void EmitRisk(Session? session, ImmutableArray<string> raised, DateTimeOffset now)
    {
        if (session is not null && !raised.IsDefaultOrEmpty)
        {
            metrics?.RiskSignals(raised);
            Emit(SessionEventType.Risk, session, now);
        }
    }

    /// <summary>
    /// A JSON Merge Patch of an active session's metadata (RFC 7396: a value sets its key, null removes it); refused
    /// with <see cref="SessionError.MetadataTooLarge"/>, changing nothing, when the result would break the limits.
    /// </summary>
    public SessionOutcome PatchMetadata(string sessionId, ImmutableArray<MetadataChange> changes, SessionScope scope, DateTimeOffset now)
    {
        FoldExpired(now);
        var entry = FindEntry(sessionId, scope);
        if (entry is null)
        {
            return SessionOutcome.Fail(SessionError.NotFound);
        }

        if (entry.Session.Status != SessionStatus.Active)
        {
            return SessionOutcome.Fail(SessionError.NotActive, entry.Session);
        }

        var merged = SessionMetadata.Merge(entry.Session.Metadata, changes);
        return SessionMetadata.Fits(merged)
            ? UpdateActive(sessionId, scope, now, SessionEventType.Updated, e => e.Session with { Metadata = merged })
            : SessionOutcome.Fail(SessionError.MetadataTooLarge, entry.Session);
    }

    public SessionOutcome SignOut(string sessionId, SessionScope scope, DateTimeOffset now) =>
        UpdateActive(sessionId, scope, now, SessionEventType.Ended, entry => End(entry.Session, SessionStatus.Ended, SignOutEnd, now));

    public SessionOutcome Revoke(string sessionId, SessionEnd end, SessionScope scope, DateTimeOffset now) =>
        UpdateActive(sessionId, scope, now, SessionEventType.Revoked, entry => End(entry.Session, SessionStatus.Revoked, end, now));

    /// <summary>
    /// Revokes every active session in scope but <paramref name="exceptSessionId"/>, which must exist (in scope)
    /// and be active.
    /// </summary>
    public RevokeAllResult RevokeAll(SessionEnd end, string? exceptSessionId, SessionScope scope, DateTimeOffset now)
    {
        FoldExpired(now);
        if (exceptSessionId is not null)
        {
            var kept = FindEntry(exceptSessionId, scope);
            if (kept is null)
            {
                return new RevokeAllResult(SessionError.NotFound, []);
            }

            if (kept.Session.Status != SessionStatus.Active)
            {
                return new RevokeAllResult(SessionError.NotActive, []);
            }
        }

        var revoked = ImmutableArray.CreateBuilder<string>();
        foreach (var entry in state.Sessions)
        {
            if (entry.Session.Status == SessionStatus.Active && entry.Session.Id != exceptSessionId && scope.Allows(entry.Session))
            {
                entry.Session = End(entry.Session, SessionStatus.Revoked, end, now);
                Emit(SessionEventType.Revoked, entry.Session, now);
                revoked.Add(entry.Session.Id);
            }
        }

        return new RevokeAllResult(SessionError.None, revoked.ToImmutable());
    }

    /// <summary>A session as it is at <paramref name="now"/>; null when there is none in scope.</summary>
    public Session? Find(string sessionId, SessionScope scope, DateTimeOffset now) =>
        FindEntry(sessionId, scope) is { } entry ? AsOf(entry.Session, now) : null;

    /// <summary>Whether a session token's secret hash is that of <paramref name="sessionId"/>, and the session is active.</summary>
    public bool AuthenticatesToken(string sessionId, string secretHash, DateTimeOffset now)
    {
        var entry = FindEntry(sessionId);
        if (entry is null || !IsActive(entry.Session, now))
        {
            return false;
        }

        // Both are lower-case hex of SHA-256 digests; their lengths are public, their contents are not.
        return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(entry.TokenHash.AsSpan()),
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(secretHash.AsSpan()));
    }

    private StoredSession? FindEntry(string sessionId, SessionScope scope) =>
        FindEntry(sessionId) is { } entry && scope.Allows(entry.Session) ? entry : null;

    /// <summary>The sessions that are active at <paramref name="now"/>, for the directory.</summary>
    public IEnumerable<Session> Active(DateTimeOffset now) =>
        state.Sessions.Select(e => e.Session).Where(s => IsActive(s, now));

    private StoredSession? FindEntry(string sessionId)
    {
        // The ring is small and ordered by id: a binary search keeps lookups cheap for large rings too.
        var sessions = state.Sessions;
        int lo = 0, hi = sessions.Count - 1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) / 2);
            var cmp = string.CompareOrdinal(sessions[mid].Session.Id, sessionId);
            if (cmp == 0)
            {
                return sessions[mid];
            }

            if (cmp < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return null;
    }

    /// <summary>A page of the user's sessions as they are at <paramref name="now"/>, filtered and ordered as asked, after a keyset position.</summary>
    public SessionPage Query(SessionQuery query, SessionScope scope, DateTimeOffset now)
    {
        IEnumerable<Session> matches = state.Sessions.Select(e => AsOf(e.Session, now));
        if (!scope.IsAll)
        {
            matches = matches.Where(scope.Allows);
        }

        if (query.Status is { } status)
        {
            matches = matches.Where(s => s.Status == status);
        }

        if (query.ClientId is { } clientId)
        {
            matches = matches.Where(s => s.ClientIds.Contains(clientId));
        }

        var ordered = query.Descending
            ? matches.OrderByDescending(s => SortKey(s, query.Sort)).ThenByDescending(s => s.Id, StringComparer.Ordinal)
            : matches.OrderBy(s => SortKey(s, query.Sort)).ThenBy(s => s.Id, StringComparer.Ordinal);

        IEnumerable<Session> page = ordered;
        if (query.After is { } after)
        {
            page = page.Where(s => IsAfter(s, after, query));
        }

        var items = page.Take(query.Limit + 1).ToList();
        SessionListPosition? next = null;
        if (items.Count > query.Limit)
        {
            items.RemoveAt(items.Count - 1);
            var last = items[^1];
            next = new SessionListPosition(SortKey(last, query.Sort), last.Id);
        }

        return new SessionPage([.. items], next);
    }

    private static long SortKey(Session session, SessionSortField sort) => sort switch
    {
        SessionSortField.ActiveAt => session.ActiveAt.UtcTicks,
        SessionSortField.ExpiresAt => session.ExpiresAt.UtcTicks,
        SessionSortField.Id => 0,
        _ => session.CreatedAt.UtcTicks,
    };

    private static bool IsAfter(Session session, SessionListPosition after, SessionQuery query)
    {
        var key = SortKey(session, query.Sort);
        var cmp = key != after.SortKey ? key.CompareTo(after.SortKey) : string.CompareOrdinal(session.Id, after.SessionId);
        return query.Descending ? cmp < 0 : cmp > 0;
    }

    /// <summary>
    /// Folds the clock into the ring (<see cref="FoldExpired"/>); true when a session expired since the last change,
    /// which then needs storing for its <c>session.expired</c> event.
    /// </summary>
    public bool ExpireDue(DateTimeOffset now) => FoldExpired(now) > 0;

    private SessionOutcome UpdateActive(string sessionId, SessionScope scope, DateTimeOffset now, SessionEventType? happened, Func<StoredSession, Session> update)
    {
        var entry = FindEntry(sessionId, scope);
        if (entry is null)
        {
            return SessionOutcome.Fail(SessionError.NotFound);
        }

        FoldExpired(now);
        if (entry.Session.Status != SessionStatus.Active)
        {
            return SessionOutcome.Fail(SessionError.NotActive, entry.Session);
        }

        entry.Session = update(entry);
        if (happened is { } type)
        {
            Emit(type, entry.Session, now);
        }

        return SessionOutcome.Ok(entry.Session);
    }

    private Session Touch(Session session, TimeSpan idleTimeout, string? ip, Place? place, string? clientId, DateTimeOffset now)
    {
        var locations = session.Locations;
        if (ip is not null && (locations.IsEmpty || locations[0].Ip != ip))
        {
            locations = Prepend(locations, GeoLocation.Of(now, ip, SharedValues.Share(place)), options.MaxLocationsPerSession);
        }

        var clientIds = session.ClientIds;
        if (clientId is not null && !clientIds.Contains(clientId))
        {
            clientId = SharedValues.Share(clientId);
            clientIds = clientIds.Length >= options.MaxClientIdsPerSession
                ? clientIds.RemoveAt(0).Add(clientId)
                : clientIds.Add(clientId);
        }

        return session with
        {
            ActiveAt = now,
            IdleExpiresAt = Min(now + idleTimeout, session.ExpiresAt),
            Locations = locations,
            ClientIds = clientIds,
        };
    }

    /// <summary>
    /// Folds the clock into the state: every session past its absolute or idle expiry is stored as expired, with its
    /// <c>session.expired</c> event dated at the expiry. Only operations that change the ring do this; reads answer
    /// <see cref="AsOf"/> and leave the state alone.
    /// </summary>
    /// <returns>How many sessions expired.</returns>
    private int FoldExpired(DateTimeOffset now)
    {
        var expired = 0;
        foreach (var entry in state.Sessions)
        {
            var session = AsOf(entry.Session, now);
            if (!ReferenceEquals(session, entry.Session))
            {
                entry.Session = session;
                Emit(SessionEventType.Expired, session, session.EndedAt ?? now);
                expired++;
            }
        }

        return expired;
    }

    /// <summary>Adds the event of a change to the outbox the grain stores with it.</summary>
    private void Emit(SessionEventType type, Session session, DateTimeOffset occurredAt) =>
        state.PendingEvents.Add(new SessionEvent(System.Ulid.NewUlid(occurredAt).ToString(), type, occurredAt, tenant, userId, session.Id, session));

    /// <summary>Whether a session is active at <paramref name="now"/>: not ended, and neither expiry has passed.</summary>
    private static bool IsActive(Session session, DateTimeOffset now) =>
        session.Status == SessionStatus.Active && now < session.EffectiveExpiry;

    /// <summary>A session as it is at <paramref name="now"/>: an active one past its expiry is expired since then.</summary>
    private static Session AsOf(Session session, DateTimeOffset now) =>
        session.Status == SessionStatus.Active && !IsActive(session, now)
            ? session with { Status = SessionStatus.Expired, EndedAt = session.EffectiveExpiry }
            : session;

    private static Session End(Session session, SessionStatus status, SessionEnd end, DateTimeOffset now) =>
        session with { Status = status, EndedAt = now, End = end };

    private static ImmutableArray<T> Prepend<T>(ImmutableArray<T> items, T item, int max)
    {
        var builder = ImmutableArray.CreateBuilder<T>(Math.Min(items.Length + 1, max));
        builder.Add(item);
        for (var i = 0; i < items.Length && builder.Count < max; i++)
        {
            builder.Add(items[i]);
        }

        return builder.MoveToImmutable();
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
