using System.Collections.Immutable;

namespace Orleans.Sessions.Users;

/// <summary>
/// A sign-on (or re-authentication) as the user grain receives it: validated, with the device and
/// location already resolved by the gateway that took the request.
/// </summary>
[GenerateSerializer, Immutable, Alias("sessions.SignOnCommand")]
public sealed record SignOnCommand
{
    [Id(0)] public required string Ip { get; init; }
    [Id(1)] public required DeviceInfo Device { get; init; }
    [Id(2)] public required string AuthMethod { get; init; }
    [Id(3)] public string? ClientId { get; init; }
    [Id(4)] public string? Host { get; init; }
    [Id(5)] public string? OrganizationId { get; init; }
    [Id(6)] public string? PopulationId { get; init; }
    [Id(7)] public Impersonator? Impersonator { get; init; }
    [Id(8)] public string? UserName { get; init; }
    [Id(9)] public string? DisplayName { get; init; }
    [Id(10)] public TimeSpan? ExpiresIn { get; init; }
    [Id(11)] public TimeSpan? IdleTimeout { get; init; }

    // Id 12 was a location with a placeholder time: not reused.

    /// <summary>Where the sign-on came from, as far as it is known; the grain records it with its own clock.</summary>
    [Id(13)] public Place? Place { get; init; }

    /// <summary>The identity provider's own id of the session (OIDC's <c>sid</c>), if it gave one.</summary>
    [Id(14)] public string? ExternalSessionId { get; init; }

    /// <summary>The session's metadata, checked (<see cref="SessionMetadata"/>).</summary>
    [Id(15)] public ImmutableSortedDictionary<string, MetadataValue>? Metadata { get; init; }
}

/// <summary>A re-authentication of an existing session: a new entry in its sign-on history.</summary>
[GenerateSerializer, Immutable, Alias("sessions.ReauthenticateCommand")]
public sealed record ReauthenticateCommand
{
    [Id(0)] public required string Ip { get; init; }
    [Id(1)] public required string AuthMethod { get; init; }
    [Id(2)] public string? ClientId { get; init; }

    /// <summary>When given, the session's absolute expiry is reset to now plus this.</summary>
    [Id(3)] public TimeSpan? ExpiresIn { get; init; }

    /// <summary>When given, the session's idle timeout from now on.</summary>
    [Id(4)] public TimeSpan? IdleTimeout { get; init; }

    // Id 5 was a location with a placeholder time: not reused.
    [Id(6)] public Place? Place { get; init; }
}

/// <summary>The session was used: from <see cref="Ip"/> (optional), by <see cref="ClientId"/> (optional).</summary>
[GenerateSerializer, Immutable, Alias("sessions.ActivityCommand")]
public sealed record ActivityCommand
{
    [Id(0)] public string? Ip { get; init; }
    [Id(1)] public string? ClientId { get; init; }

    // Id 2 was a location with a placeholder time: not reused.

    /// <summary>Where <see cref="Ip"/> is, when known; without an IP there is no new location.</summary>
    [Id(3)] public Place? Place { get; init; }
}

/// <summary>Why an operation on a session was refused.</summary>
[GenerateSerializer, Alias("sessions.SessionError")]
public enum SessionError
{
    None = 0,

    /// <summary>No session with that id in the user's ring (never existed, or evicted).</summary>
    NotFound = 1,

    /// <summary>The session is no longer active, so the operation does not apply.</summary>
    NotActive = 2,

    /// <summary>The user has reached <c>Sessions:MaxActiveSessionsPerUser</c> and the policy refuses.</summary>
    ActiveLimitReached = 3,

    /// <summary>The caller's scope does not cover what the command asks for (a sign-on into another population).</summary>
    OutOfScope = 4,

    /// <summary>The change would make the session's metadata larger than <see cref="SessionMetadata"/> allows.</summary>
    MetadataTooLarge = 5,
}

[GenerateSerializer, Immutable, Alias("sessions.SignOnResult")]
public sealed record SignOnResult(
    [property: Id(0)] SessionError Error,
    [property: Id(1)] Session? Session,
    [property: Id(2)] string? Token);

/// <summary>The outcome of an operation on one session: the session as it is afterwards, or why not.</summary>
[GenerateSerializer, Immutable, Alias("sessions.SessionOutcome")]
public sealed record SessionOutcome(
    [property: Id(0)] SessionError Error,
    [property: Id(1)] Session? Session)
{
    public static SessionOutcome Ok(Session session) => new(SessionError.None, session);

    public static SessionOutcome Fail(SessionError error, Session? session = null) => new(error, session);
}

[GenerateSerializer, Immutable, Alias("sessions.RevokeAllResult")]
public sealed record RevokeAllResult(
    [property: Id(0)] SessionError Error,
    [property: Id(1)] ImmutableArray<string> RevokedSessionIds);
