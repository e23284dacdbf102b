using System.Buffers;
using System.Text;
using System.Text.Json;
using Orleans.Sessions.Events;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.SharedSignals;

/// <summary>
/// The claims of a Security Event Token (RFC 8417) as the Shared Signals Framework profiles it, carrying one CAEP event
/// (docs/shared-signals.md, "The SETs"): <c>iss</c>, <c>aud</c>, <c>jti</c>, <c>iat</c>, <c>txn</c> (the event's id:
/// SETs of one change share it), <c>sub_id</c> (the session and its user, a <c>complex</c> subject), and <c>events</c>
/// with one member. Never <c>sub</c> nor <c>exp</c>. Signed with <c>typ</c> <c>secevent+jwt</c>.
/// </summary>
public static class SecurityEventToken
{
    public const string Type = "secevent+jwt";

    /// <summary>
    /// The CAEP event a session event is, if any: a sign-on establishes a session, every ending revokes it, and a
    /// <c>session.risk</c> whose score crossed into another level changes its risk level (docs/shared-signals.md).
    /// </summary>
    public static string? CaepType(SessionEvent e) => e.Type switch
    {
        SessionEventType.Created => CaepEvents.SessionEstablished,
        SessionEventType.Ended or SessionEventType.Revoked or SessionEventType.Evicted or SessionEventType.Expired => CaepEvents.SessionRevoked,
        SessionEventType.Risk when e.Data.Risk is { } risk && SessionRisk.Level(risk.Score) != SessionRisk.Level(risk.PreviousScore ?? 0) => CaepEvents.RiskLevelChange,
        _ => null,
    };

    /// <summary>Who ended it, as CAEP names initiators: the user (sign-out, or a revoke through <c>/v1/me</c>), policy (expiry, eviction), the system, or an administrator (a key).</summary>
    public static string InitiatingEntity(SessionEvent e) => e.Type switch
    {
        SessionEventType.Created or SessionEventType.Ended => "user",
        SessionEventType.Expired or SessionEventType.Evicted => "policy",
        _ => e.Data.End?.By switch
        {
            "self" => "user",
            "system" => "system",
            _ => "admin",
        },
    };

    /// <summary>Why, for administrators: the ending's reason, or what kind of ending it was.</summary>
    public static string ReasonAdmin(SessionEvent e) => e.Data.End?.Reason is { Length: > 0 } reason ? reason : e.Type switch
    {
        SessionEventType.Ended => "signed out",
        SessionEventType.Expired => "expired",
        SessionEventType.Evicted => "evicted",
        _ => "revoked",
    };

    /// <summary>session-established and session-revoked: when, who, and for an ending why.</summary>
    private static void WriteSessionChange(Utf8JsonWriter json, SessionEvent e)
    {
        var at = e.Type == SessionEventType.Created ? e.Data.CreatedAt : e.Data.EndedAt ?? e.OccurredAt;
        json.WriteNumber("event_timestamp", at.ToUnixTimeSeconds());
        json.WriteString("initiating_entity", InitiatingEntity(e));
        if (e.Type != SessionEventType.Created)
        {
            json.WriteStartObject("reason_admin");
            json.WriteString("en", ReasonAdmin(e));
            json.WriteEndObject();
        }
    }

    /// <summary>
    /// CAEP's risk-level-change for the session (principal <c>SESSION</c>): its level now, the level before when there was
    /// one (a sign-on has none), and its signals as the reason.
    /// </summary>
    private static void WriteRiskLevelChange(Utf8JsonWriter json, SessionRisk risk)
    {
        json.WriteNumber("event_timestamp", risk.EvaluatedAt.ToUnixTimeSeconds());
        json.WriteString("initiating_entity", "system");
        json.WriteString("principal", "SESSION");
        json.WriteString("current_level", SessionRisk.Level(risk.Score));
        if (risk.PreviousScore is { } previous)
        {
            json.WriteString("previous_level", SessionRisk.Level(previous));
        }

        json.WriteString("risk_reason", string.Join(' ', risk.Signals));
    }

    /// <summary>A verification SET (SSF 1.0 §8.1.4): the stream itself as the subject, the receiver's <paramref name="state"/> echoed.</summary>
    public static string Verification(SsfStream stream, string? state, DateTimeOffset now)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("iss", stream.Issuer);
            json.WriteString("aud", stream.Audience);
            json.WriteString("jti", System.Ulid.NewUlid(now).ToString());
            json.WriteNumber("iat", now.ToUnixTimeSeconds());
            json.WriteStartObject("sub_id");
            json.WriteString("format", "opaque");
            json.WriteString("id", stream.Id);
            json.WriteEndObject();
            json.WriteStartObject("events");
            json.WriteStartObject(CaepEvents.Verification);
            if (state is not null)
            {
                json.WriteString("state", state);
            }

            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The SET's id: the same for every try of it (push retries, poll resends), so receivers deduplicate on it.</summary>
    public static string Jti(SsfStream stream, SessionEvent e) => $"{e.Id}.{stream.Id}";

    /// <param name="stream">Whose SET: its issuer and audience.</param>
    /// <param name="e">The session event it carries (one whose <see cref="CaepType"/> is not null).</param>
    /// <param name="now">When it is signed.</param>
    public static string Claims(SsfStream stream, SessionEvent e, DateTimeOffset now)
    {
        var buffer = new ArrayBufferWriter<byte>(768);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("iss", stream.Issuer);
            json.WriteString("aud", stream.Audience);
            json.WriteString("jti", Jti(stream, e));
            json.WriteNumber("iat", now.ToUnixTimeSeconds());
            json.WriteString("txn", e.Id);
            json.WriteStartObject("sub_id");
            json.WriteString("format", "complex");
            json.WriteStartObject("session");
            json.WriteString("format", "opaque");
            json.WriteString("id", e.SessionId);
            json.WriteEndObject();
            json.WriteStartObject("user");
            json.WriteString("format", "iss_sub");
            json.WriteString("iss", stream.Issuer);
            json.WriteString("sub", e.UserId);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartObject("events");
            var type = CaepType(e) ?? throw new ArgumentException($"{e.Type} is not a CAEP event.", nameof(e));
            json.WriteStartObject(type);
            if (type == CaepEvents.RiskLevelChange)
            {
                WriteRiskLevelChange(json, e.Data.Risk!);
            }
            else
            {
                WriteSessionChange(json, e);
            }

            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
