namespace Orleans.Sessions;

/// <summary>What happens to a sign-on beyond an active-session limit (configuration's or a tenant policy's).</summary>
[GenerateSerializer, Alias("sessions.ActiveSessionLimitPolicy")]
public enum ActiveSessionLimitPolicy
{
    /// <summary>The oldest active session is ended (status <c>evicted</c>) to make room.</summary>
    EndOldest = 0,

    /// <summary>The sign-on is refused (HTTP 409).</summary>
    Refuse = 1,
}

/// <summary>At most <see cref="Max"/> active sessions, and what a sign-on beyond them does.</summary>
[GenerateSerializer, Immutable, Alias("sessions.ActiveSessionLimit")]
public sealed record ActiveSessionLimit([property: Id(0)] int Max, [property: Id(1)] ActiveSessionLimitPolicy OnLimit);
