using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Canonical;

// The route values and query parameters of the canonical endpoints, bound with [AsParameters]: each checks
// itself (IValidatable) and keeps what it parsed.

/// <summary><c>/v1/tenants/{tenant}/users/{userId}/sessions</c>.</summary>
public class UserRoute : IValidatable
{
    [FromRoute(Name = "tenant"), RegularExpression(WirePatterns.Id)]
    public string Tenant { get; set; } = "";

    [FromRoute(Name = "userId"), RegularExpression(WirePatterns.Id)]
    public string UserId { get; set; } = "";

    public virtual void Validate(InputErrors errors)
    {
        InputRules.Id(errors, "tenant", Tenant);
        InputRules.Id(errors, "userId", UserId);
    }
}

/// <summary><c>/v1/tenants/{tenant}/users/{userId}/sessions/{sessionId}</c>.</summary>
public sealed class SessionRoute : UserRoute
{
    private string? _id;

    [FromRoute(Name = "sessionId"), RegularExpression(WirePatterns.SessionId)]
    public string SessionId { get; set; } = "";

    /// <summary>The session id, normalized.</summary>
    public string Id => _id ?? throw new InvalidOperationException("The route has not been validated.");

    public override void Validate(InputErrors errors)
    {
        base.Validate(errors);
        _id = InputRules.SessionId(errors, "sessionId", SessionId);
    }
}

/// <summary><c>/v1/me/sessions/{sessionId}</c>: the user is the session token's.</summary>
public sealed class MySessionRoute : IValidatable
{
    private string? _id;

    [FromRoute(Name = "sessionId"), RegularExpression(WirePatterns.SessionId)]
    public string SessionId { get; set; } = "";

    /// <summary>The session id, normalized.</summary>
    public string Id => _id ?? throw new InvalidOperationException("The route has not been validated.");

    public void Validate(InputErrors errors) => _id = InputRules.SessionId(errors, "sessionId", SessionId);
}

/// <summary>The query of a user's list (also the end user's own): filters, sort, page size and cursor.</summary>
public sealed class SessionListParameters : IValidatable
{
    private static readonly Dictionary<string, SessionSortField> SortFields = new(StringComparer.Ordinal)
    {
        ["createdAt"] = SessionSortField.CreatedAt,
        ["activeAt"] = SessionSortField.ActiveAt,
        ["expiresAt"] = SessionSortField.ExpiresAt,
    };

    /// <summary>The sort values the list takes, in the OpenAPI document.</summary>
    private sealed class SortValuesAttribute() : AllowedValuesAttribute(InputRules.SortValues(SortFields));

    private SessionQuery? _query;

    [FromQuery(Name = "status"), AllowedValues("active", "expired", "ended", "revoked", "evicted")]
    public string? Status { get; set; }

    [FromQuery(Name = "clientId"), RegularExpression(WirePatterns.ClientId)]
    public string? ClientId { get; set; }

    [FromQuery(Name = "sort"), SortValues]
    public string? Sort { get; set; }

    [FromQuery(Name = "limit"), Range(1, SessionQuery.MaxLimit)]
    public string? Limit { get; set; }

    [FromQuery(Name = "cursor"), Description("The nextCursor of an earlier page of this list with the same sort; any other is refused."), MaxLength(ListCursor.MaxLength), RegularExpression(WirePatterns.Cursor)]
    public string? Cursor { get; set; }

    /// <summary>The grain query the parameters ask for.</summary>
    public SessionQuery Query => _query ?? throw new InvalidOperationException("The query has not been validated.");

    public void Validate(InputErrors errors)
    {
        SessionStatus? status = Status switch
        {
            null => null,
            "active" => SessionStatus.Active,
            "expired" => SessionStatus.Expired,
            "ended" => SessionStatus.Ended,
            "revoked" => SessionStatus.Revoked,
            "evicted" => SessionStatus.Evicted,
            _ => null,
        };
        if (Status is not null && status is null)
        {
            errors.Add("status", "'status' must be one of active, expired, ended, revoked, evicted.");
        }

        InputRules.ClientId(errors, "clientId", ClientId);
        var (sort, descending) = InputRules.Sort(errors, Sort, SortFields, SessionSortField.CreatedAt);
        var limit = InputRules.Integer(errors, "limit", Limit, 1, SessionQuery.MaxLimit, SessionQuery.DefaultLimit);
        SessionListPosition? after = null;
        if (Cursor is not null && errors.IsEmpty && !ListCursor.TryDecode(Cursor, sort, descending, out after))
        {
            errors.Add("cursor", "'cursor' is not a cursor of this list and sort; start again without one.");
        }

        _query = new SessionQuery { Status = status, ClientId = ClientId, Sort = sort, Descending = descending, Limit = limit, After = after };
    }
}
