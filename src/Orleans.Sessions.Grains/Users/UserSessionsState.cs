using Orleans.Sessions.Events;
using Orleans.Sessions.Storage;
using Orleans.Storage;

namespace Orleans.Sessions.Users;

/// <summary>
/// The stored state of one user grain. It is written as camelCase JSON (System.Text.Json), so property
/// names are the storage contract: rename with care, never reuse. Each session is a part of its own
/// (<see cref="IPartedState"/>, keyed by its id), so the SQLite storage writes a changed session and not the whole ring.
/// </summary>
[GenerateSerializer, Alias("sessions.UserSessionsState")]
public sealed class UserSessionsState : IEventOutbox, IPartedState
{
    // What the storage holds of the parts: whether the head itself carried the sessions (its next write replaces every
    // stored part), and the first stored session id (parts before the ring's first are the evicted ones to delete).
    [NonSerialized]
    private bool _partsInHead;

    [NonSerialized]
    private string? _firstStoredPart;

    /// <summary>The ring, oldest first; ids increase strictly along it.</summary>
    [Id(0)]
    public List<StoredSession> Sessions { get; set; } = [];

    [Id(1)]
    public string? UserName { get; set; }

    [Id(2)]
    public string? DisplayName { get; set; }

    /// <summary>The highest session id ever issued to this user, kept after eviction so ids never go back.</summary>
    [Id(3)]
    public string? LastSessionId { get; set; }

    /// <summary>The revision of the last directory update; it only grows (see <c>UserSessionsGrain</c>).</summary>
    [Id(4)]
    public long DirectoryRevision { get; set; }

    /// <summary>
    /// The events of the changes since the last write (docs/events.md, "The outbox"): written with the state, committed
    /// into the event log by the same transaction, cleared by the grain once the write succeeded. A stored state may
    /// still hold the events of its own write; they are in the log already.
    /// </summary>
    [Id(5)]
    public List<SessionEvent> PendingEvents { get; set; } = [];

    /// <summary>What the risk evaluation remembers of this user (docs/risk.md, "History"), bounded.</summary>
    [Id(6)]
    public Risk.RiskHistory Risk { get; set; } = new();

    IReadOnlyList<SessionEvent> IEventOutbox.PendingEvents => PendingEvents;

    IDisposable IEventOutbox.HidePendingEvents()
    {
        var hidden = PendingEvents;
        PendingEvents = [];
        return new Restore(this, hidden);
    }

    PartsDelta IPartedState.ChangedParts(IGrainStorageSerializer serializer)
    {
        var sessions = Sessions;
        var ordered = true;
        for (var i = 1; i < sessions.Count && ordered; i++)
        {
            ordered = string.CompareOrdinal(sessions[i - 1].Session.Id, sessions[i].Session.Id) < 0;
        }

        // Parts are deleted by key range, which needs the ring in id order; were it ever not, every part is rewritten.
        var removeAll = _partsInHead || !ordered || (sessions.Count == 0 && _firstStoredPart is not null);
        var first = sessions.Count > 0 ? sessions[0].Session.Id : null;
        var removeBefore = !removeAll && first is not null && _firstStoredPart is not null && string.CompareOrdinal(_firstStoredPart, first) < 0
            ? first
            : null;

        var written = new List<(StoredSession Entry, int Changes)>();
        var upserts = new List<StatePart>();
        foreach (var entry in sessions)
        {
            if (removeAll || !entry.IsStored)
            {
                written.Add((entry, entry.Changes));
                upserts.Add(new StatePart(entry.Session.Id, serializer.Serialize(entry).ToArray()));
            }
        }

        return new PartsDelta(upserts, removeAll, removeBefore, () =>
        {
            foreach (var (entry, changes) in written)
            {
                entry.MarkStored(changes);
            }

            _partsInHead = false;
            _firstStoredPart = first;
        });
    }

    IDisposable IPartedState.HideParts()
    {
        var hidden = Sessions;
        Sessions = [];
        return new RestoreSessions(this, hidden);
    }

    void IPartedState.LoadParts(IReadOnlyList<byte[]> parts, IGrainStorageSerializer serializer)
    {
        if (Sessions.Count > 0)
        {
            // Written whole (before parts existed, or by a storage that keeps none): the head's ring is the state.
            _partsInHead = true;
            _firstStoredPart = null;
            return;
        }

        foreach (var payload in parts)
        {
            var entry = serializer.Deserialize<StoredSession>(new BinaryData(payload))
                ?? throw new InvalidDataException("A stored session part is empty.");
            entry.MarkStored(entry.Changes);
            Sessions.Add(entry);
        }

        _firstStoredPart = Sessions.Count > 0 ? Sessions[0].Session.Id : null;
    }

    private sealed class Restore(UserSessionsState state, List<SessionEvent> hidden) : IDisposable
    {
        public void Dispose() => state.PendingEvents = hidden;
    }

    private sealed class RestoreSessions(UserSessionsState state, List<StoredSession> hidden) : IDisposable
    {
        public void Dispose() => state.Sessions = hidden;
    }
}

/// <summary>
/// A session in the ring, with what only the grain may see. It counts its changes, so the storage writes it only when
/// it changed since it was last stored (<see cref="IPartedState"/>).
/// </summary>
[GenerateSerializer, Alias("sessions.StoredSession")]
public sealed class StoredSession
{
    [NonSerialized]
    private Session _session = null!;

    [NonSerialized]
    private string _tokenHash = null!;

    [NonSerialized]
    private TimeSpan _idleTimeout;

    [NonSerialized]
    private int _changes;

    [NonSerialized]
    private int _storedChanges = -1;

    [Id(0)]
    public required Session Session
    {
        get => _session;
        set { _session = value; _changes++; }
    }

    /// <summary>Lower-case hex SHA-256 of the end-user token's secret.</summary>
    [Id(1)]
    public required string TokenHash
    {
        get => _tokenHash;
        set { _tokenHash = value; _changes++; }
    }

    /// <summary>How far each activity pushes <see cref="Session.IdleExpiresAt"/>.</summary>
    [Id(2)]
    public required TimeSpan IdleTimeout
    {
        get => _idleTimeout;
        set { _idleTimeout = value; _changes++; }
    }

    /// <summary>How many times a property was set: the storage compares it with the count it last stored.</summary>
    internal int Changes => _changes;

    /// <summary>This entry, as it is now, is what the storage holds.</summary>
    internal bool IsStored => _storedChanges == _changes;

    internal void MarkStored(int changes) => _storedChanges = changes;

    /// <summary>Replaces the session's values with the equal ones other sessions share (<see cref="SharedValues"/>): not a change.</summary>
    internal void ShareValues() => _session = SharedValues.Share(_session);
}
