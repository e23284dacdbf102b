using Orleans.Sessions.Events;

namespace Orleans.Sessions.SharedSignals;

/// <summary>
/// Whether a subject a receiver named covers a session event (SSF 1.0 §3.3): <c>opaque</c> is the session's id,
/// <c>iss_sub</c> the user of the stream's issuer, <c>email</c> never matches (sign-ons carry no email), and a
/// <c>complex</c> subject matches when each member it has matches (a member it lacks matches anything).
/// </summary>
public static class SsfSubjects
{
    public static bool Covers(SsfSubject subject, SsfStream stream, SessionEvent e) => subject.Format switch
    {
        "opaque" => subject.Id == e.SessionId,
        "iss_sub" => subject.Iss == stream.Issuer && subject.Sub == e.UserId,
        "complex" => (subject.Session is not null || subject.User is not null)
            && (subject.Session is null || Covers(subject.Session, stream, e))
            && (subject.User is null || Covers(subject.User, stream, e)),
        _ => false,
    };
}
