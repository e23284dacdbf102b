using Microsoft.Extensions.Logging;

namespace Orleans.Sessions.Api.Auth;

/// <summary>
/// One log line per administrative action, under the category <c>Orleans.Sessions.Audit</c> so operators can
/// route it to their audit store: who (the credential's name, never its secret), on which tenant and user,
/// what, and why.
/// </summary>
public sealed partial class SessionsAudit(ILoggerFactory loggers)
{
    public const string Category = "Orleans.Sessions.Audit";

    private readonly ILogger _logger = loggers.CreateLogger(Category);

    public void Revoked(Caller caller, string tenant, string userId, IReadOnlyCollection<string> sessionIds, string? reason) =>
        LogRevoked(caller.Name, caller.Kind, tenant, userId, sessionIds.Count, string.Join(",", sessionIds), reason ?? "");

    public void ListedAll(Caller caller, string tenant, string operation, int total) =>
        LogListedAll(caller.Name, caller.Kind, operation, tenant, total);

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information,
        Message = "audit revoke by={Credential} kind={Kind} tenant={Tenant} user={UserId} count={Count} sessions={SessionIds} reason={Reason}")]
    private partial void LogRevoked(string credential, CallerKind kind, string tenant, string userId, int count, string sessionIds, string reason);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Information,
        Message = "audit {Operation} by={Credential} kind={Kind} tenant={Tenant} matched={Total}")]
    private partial void LogListedAll(string credential, CallerKind kind, string operation, string tenant, int total);
}
