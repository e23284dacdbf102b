using System.Collections.Immutable;
using Orleans.Sessions.Events;

namespace Orleans.Sessions.SharedSignals;

/// <summary>
/// Which session events a stream delivers now, pushed or polled (docs/shared-signals.md, "Status" and "Subjects"): only
/// while enabled, only the CAEP types it asked for, none of a subject it removed, and none of what happened up to its
/// last return from <c>disabled</c>. Made once per round or poll, not per event looked at.
/// </summary>
internal sealed class SsfEventFilter(SsfStream stream)
{
    private readonly ImmutableArray<string> _delivered = stream.EventsDelivered;

    public bool Wants(SessionEvent sessionEvent) =>
        stream.Status == SsfStreamStatus.Enabled
        && SecurityEventToken.CaepType(sessionEvent) is { } type
        && _delivered.Contains(type)
        && !stream.Removed.Any(subject => SsfSubjects.Covers(subject, stream, sessionEvent));

    /// <summary>Whether the event at <paramref name="position"/> of the log is delivered.</summary>
    public bool Wants(EventPosition position, SessionEvent sessionEvent) =>
        (stream.DroppedThrough is not { } dropped || position.CompareTo(dropped) > 0) && Wants(sessionEvent);
}
