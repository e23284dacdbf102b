using System.ComponentModel;
using Orleans.Sessions.Audit;

namespace Orleans.Sessions.Api.Audit;

/// <summary>One entry of the audit history.</summary>
public sealed record AuditEntryResponse(
    string Id,
    DateTimeOffset OccurredAt,
    [property: Description("sign-out, revoke, revoke-all, revoke-by-query, eviction, expiry (a session's ending) or admin (an administrative change).")] string Kind,
    [property: Description("The name of the credential that acted; self for an end user's own session; system for a limit or an expiry.")] string Actor,
    string? UserId,
    string? SessionId,
    string? Reason,
    [property: Description("An administrative change's operation (the operationId in this document).")] string? Operation,
    [property: Description("What an administrative change was made to: its path below the tenant.")] string? Target)
{
    public static AuditEntryResponse From(AuditEntry e) => new(e.Id, e.OccurredAt, e.Kind, e.Actor, e.UserId, e.SessionId, e.Reason, e.Operation, e.Target);
}

/// <summary>A page of the audit history, newest first; <c>nextCursor</c> for the next page, null at the end.</summary>
public sealed record AuditListResponse(IReadOnlyList<AuditEntryResponse> Items, string? NextCursor);
