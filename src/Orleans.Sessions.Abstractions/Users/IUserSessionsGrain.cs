using System.Collections.Immutable;
using Orleans.Concurrency;

namespace Orleans.Sessions.Users;

/// <summary>
/// One user's sessions (key <c>"{tenant}/{userId}"</c>, see <see cref="UserKey"/>). Every write to a
/// user's sessions goes through this grain; sign-on, sign-out and revoke are stored before they return.
/// Every operation takes the caller's <see cref="SessionScope"/>: sessions outside it are not seen, changed
/// or created.
/// </summary>
[Alias("sessions.IUserSessionsGrain")]
public interface IUserSessionsGrain : IGrainWithStringKey
{
    /// <summary>Creates a session and returns it with its end-user token (the only time the token is seen).</summary>
    [Alias("SignOn")]
    Task<SignOnResult> SignOnAsync(SignOnCommand command, SessionScope scope);

    /// <summary>Records a re-authentication of an active session.</summary>
    [Alias("Reauthenticate")]
    Task<SessionOutcome> ReauthenticateAsync(string sessionId, ReauthenticateCommand command, SessionScope scope);

    /// <summary>Records use of an active session; stored within <c>Sessions:ActivityFlushInterval</c>.</summary>
    [Alias("RecordActivity")]
    Task<SessionOutcome> RecordActivityAsync(string sessionId, ActivityCommand command, SessionScope scope);

    /// <summary>Applies a JSON Merge Patch to an active session's metadata (docs/sessions.md, "Metadata"), stored before it answers.</summary>
    [Alias("PatchMetadata")]
    Task<SessionOutcome> PatchMetadataAsync(string sessionId, ImmutableArray<MetadataChange> changes, SessionScope scope);

    /// <summary>The user ended this session.</summary>
    [Alias("SignOut")]
    Task<SessionOutcome> SignOutAsync(string sessionId, SessionScope scope);

    /// <summary>Ends one session on someone's authority.</summary>
    [Alias("Revoke")]
    Task<SessionOutcome> RevokeAsync(string sessionId, SessionEnd end, SessionScope scope);

    /// <summary>Ends every active session of the user in scope, except <paramref name="exceptSessionId"/> when given.</summary>
    [Alias("RevokeAll")]
    Task<RevokeAllResult> RevokeAllAsync(SessionEnd end, string? exceptSessionId, SessionScope scope);

    /// <summary>One session as it is now (one past its expiry reads as expired); null when there is none in scope.</summary>
    [ReadOnly, Alias("Get")]
    Task<Session?> GetAsync(string sessionId, SessionScope scope);

    /// <summary>A page of the user's sessions as they are now. Reads compute expiry from the clock and change nothing.</summary>
    [ReadOnly, Alias("List")]
    Task<SessionPage> ListAsync(SessionQuery query, SessionScope scope);

    /// <summary>
    /// Whether an end-user session token whose secret hashes to <paramref name="secretHash"/> belongs to the
    /// session <paramref name="sessionId"/> and that session is active now (compared in constant time).
    /// </summary>
    [ReadOnly, Alias("AuthenticateToken")]
    Task<bool> AuthenticateTokenAsync(string sessionId, string secretHash);

    /// <summary>
    /// Sends the user's current active sessions to their directory shard (a reconciliation request), with a
    /// revision above <paramref name="shardRevision"/> — the last one the shard applied — so the answer is
    /// taken even when the shard holds a view that is wrong but newer-numbered; and answers the same update, so a
    /// shard rebuilding itself knows when it has every user's (null when the directory is off).
    /// </summary>
    [Alias("PublishToDirectory")]
    Task<SessionDirectory.DirectoryUserUpdate?> PublishToDirectoryAsync(long shardRevision);

    /// <summary>
    /// Stores the expiry of every session whose time has passed, with its <c>session.expired</c> event: the directory
    /// asks when its expiry queue says one is due (docs/events.md, "Expiry"), so no timer waits in the user grain.
    /// </summary>
    [OneWay, Alias("ExpireDue")]
    Task ExpireDueAsync();
}
