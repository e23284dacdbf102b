using Orleans.Sessions.Events;

namespace Orleans.Sessions.Deliveries;

/// <summary>
/// What one receiver's delivery has read past its stored position, and what became of it (docs/webhooks.md,
/// "Delivery"): up to <c>capacity</c> events in log order, those delivered or dead-lettered, and per user the event held
/// for a retry with its attempts, first failure and next try. A held user's later events wait; other users' do not.
/// Kept in memory only: a new activation starts again from the stored position (delivery is at least once).
/// </summary>
internal sealed class DeliveryWindow(int capacity)
{
    private readonly List<(EventPosition Position, SessionEvent Event)> _events = [];
    private readonly HashSet<string> _done = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Held> _held = new(StringComparer.Ordinal);

    /// <summary>How many more events may be read into the window.</summary>
    public int Room => capacity - _events.Count;

    /// <summary>Where the next read starts, or null to start from the stored position.</summary>
    public EventPosition? Last => _events.Count == 0 ? null : _events[^1].Position;

    public void Append(IEnumerable<(EventPosition Position, SessionEvent Event)> read) => _events.AddRange(read);

    /// <summary>Each user's events to try now, in log order: wanted, not done, and not waiting for the retry of the user's held event.</summary>
    public List<List<SessionEvent>> DueChains(Func<EventPosition, SessionEvent, bool> wants, DateTimeOffset now) =>
    [
        .. _events.Where(e => wants(e.Position, e.Event)).Select(e => e.Event)
            .Where(e => !_done.Contains(e.Id))
            .GroupBy(e => e.UserId, StringComparer.Ordinal)
            .Where(chain => !_held.TryGetValue(chain.Key, out var held) || held.RetryAt <= now)
            .Select(chain => chain.ToList()),
    ];

    /// <summary>The event's tries so far and its first failure (now, if it has not failed).</summary>
    public (int Tries, DateTimeOffset FirstFailure) Failures(SessionEvent sessionEvent, DateTimeOffset now) =>
        _held.TryGetValue(sessionEvent.UserId, out var held) && held.EventId == sessionEvent.Id ? (held.Tries, held.FirstFailure) : (0, now);

    /// <summary>Delivered or dead-lettered: not posted again, and the user's later events may go.</summary>
    public void Done(SessionEvent sessionEvent)
    {
        _done.Add(sessionEvent.Id);
        if (_held.TryGetValue(sessionEvent.UserId, out var held) && held.EventId == sessionEvent.Id)
        {
            _held.Remove(sessionEvent.UserId);
        }
    }

    /// <summary>Failed: the user's events wait for the retry of this one at <paramref name="retryAt"/>.</summary>
    public void Hold(SessionEvent sessionEvent, int tries, DateTimeOffset firstFailure, DateTimeOffset retryAt) =>
        _held[sessionEvent.UserId] = new Held(sessionEvent.Id, tries, firstFailure, retryAt);

    /// <summary>Drops from the front every event done or not wanted; the position after the last one dropped, if any.</summary>
    public EventPosition? Pass(Func<EventPosition, SessionEvent, bool> wants)
    {
        var passed = 0;
        while (passed < _events.Count && (!wants(_events[passed].Position, _events[passed].Event) || _done.Contains(_events[passed].Event.Id)))
        {
            _done.Remove(_events[passed].Event.Id);
            passed++;
        }

        if (passed == 0)
        {
            return null;
        }

        var position = _events[passed - 1].Position;
        _events.RemoveRange(0, passed);
        return position;
    }

    /// <summary>The wanted events not yet delivered, and when the first of them occurred.</summary>
    public (int Count, DateTimeOffset? Oldest) Backlog(Func<EventPosition, SessionEvent, bool> wants)
    {
        var waiting = _events.Where(e => wants(e.Position, e.Event) && !_done.Contains(e.Event.Id)).Select(e => e.Event.OccurredAt).ToList();
        return (waiting.Count, waiting.Count == 0 ? null : waiting[0]);
    }

    private readonly record struct Held(string EventId, int Tries, DateTimeOffset FirstFailure, DateTimeOffset RetryAt);
}
