using Microsoft.Extensions.Logging;
using Orleans.Sessions.Api.Telemetry;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Auth;

/// <summary>
/// One log line per administrative action, under the category <c>Orleans.Sessions.Audit</c> so operators can
/// route it to their audit store: who (the credential's name, never its secret), on which tenant and user,
/// what, and why.
/// </summary>
public sealed partial class SessionsAudit(ILoggerFactory loggers, SessionsMetrics metrics)
{
    public const string Category = "Orleans.Sessions.Audit";

    private readonly ILogger _logger = loggers.CreateLogger(Category);

    public void Revoked(Caller caller, string tenant, string userId, IReadOnlyCollection<string> sessionIds, string? reason, bool all = false)
    {
        LogRevoked(caller.Name, caller.Kind, tenant, userId, sessionIds.Count, string.Join(",", sessionIds), reason ?? "");
        metrics.Revoked(sessionIds.Count, caller.Kind, all);
    }

    /// <summary>
    /// Ends one of <paramref name="userId"/>'s sessions on <paramref name="caller"/>'s authority (within its scope),
    /// recording who and why in the session's <c>end</c> and in the audit log: every surface ends sessions here.
    /// </summary>
    public async Task<SessionOutcome> RevokeAsync(IGrainFactory grains, string tenant, string userId, string sessionId, string? reason, Caller caller)
    {
        var outcome = await grains.UserSessions(tenant, userId)
            .RevokeAsync(sessionId, new SessionEnd(caller.Name, reason), caller.Scope);
        if (outcome.Error == SessionError.None)
        {
            Revoked(caller, tenant, userId, [sessionId], reason);
        }

        return outcome;
    }

    /// <summary>Ends every active session of the user in the caller's scope but <paramref name="exceptSessionId"/>, audited.</summary>
    public async Task<RevokeAllResult> RevokeAllAsync(IGrainFactory grains, string tenant, string userId, string? exceptSessionId, string? reason, Caller caller)
    {
        var result = await grains.UserSessions(tenant, userId)
            .RevokeAllAsync(new SessionEnd(caller.Name, reason, SessionEnd.RevokeAll), exceptSessionId, caller.Scope);
        if (result.Error == SessionError.None)
        {
            Revoked(caller, tenant, userId, result.RevokedSessionIds, reason, all: true);
        }

        return result;
    }

    public void PolicyChanged(Caller caller, string tenant, long version) =>
        LogPolicyChanged(caller.Name, caller.Kind, tenant, version);

    /// <summary>An administrator signed in to the web console with a key (docs/console.md, "Administration").</summary>
    public void ConsoleSignedIn(Caller caller) => LogConsoleSignedIn(caller.Name, caller.Kind);

    public void ListedAll(Caller caller, string tenant, string operation, int total) =>
        LogListedAll(caller.Name, caller.Kind, operation, tenant, total);

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information,
        Message = "audit revoke by={Credential} kind={Kind} tenant={Tenant} user={UserId} count={Count} sessions={SessionIds} reason={Reason}")]
    private partial void LogRevoked(string credential, CallerKind kind, string tenant, string userId, int count, string sessionIds, string reason);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Information,
        Message = "audit {Operation} by={Credential} kind={Kind} tenant={Tenant} matched={Total}")]
    private partial void LogListedAll(string credential, CallerKind kind, string operation, string tenant, int total);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Information,
        Message = "audit policy-change by={Credential} kind={Kind} tenant={Tenant} version={Version}")]
    private partial void LogPolicyChanged(string credential, CallerKind kind, string tenant, long version);

    [LoggerMessage(EventId = 9004, Level = LogLevel.Information, Message = "audit console-sign-in by={Credential} kind={Kind}")]
    private partial void LogConsoleSignedIn(string credential, CallerKind kind);
}
