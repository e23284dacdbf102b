using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Orleans.Sessions.Api.Compat;
using Orleans.Sessions.Api.Http;

namespace Orleans.Sessions.Api.WorkOs;

/// <summary><c>/user_management/users/{id}/sessions</c>.</summary>
public sealed class WorkOsUserRoute : IValidatable
{
    [FromRoute(Name = "id"), RegularExpression(WirePatterns.Id)]
    public string Id { get; set; } = "";

    public void Validate(InputErrors errors) => InputRules.Id(errors, "id", Id);
}

/// <summary>WorkOS' <c>order</c>: by creation, ascending or descending; <c>normal</c> is descending with time-named cursors.</summary>
public enum WorkOsOrder
{
    Desc,
    Asc,
    Normal,
}

/// <summary>WorkOS' cursor pagination: <c>limit</c>, <c>before</c> or <c>after</c> (session ids), <c>order</c>.</summary>
public sealed class WorkOsListParameters : IValidatable
{
    public const int DefaultLimit = 10;
    public const int MaxLimit = 100;

    private int _pageSize = DefaultLimit;
    private WorkOsOrder _order;
    private string? _beforeId;
    private string? _afterId;

    [FromQuery(Name = "limit"), Range(1, MaxLimit)]
    public string? Limit { get; set; }

    [FromQuery(Name = "before"), RegularExpression(WirePatterns.WorkOsSessionId)]
    public string? Before { get; set; }

    [FromQuery(Name = "after"), RegularExpression(WirePatterns.WorkOsSessionId)]
    public string? After { get; set; }

    [FromQuery(Name = "order"), AllowedValues("asc", "desc", "normal")]
    public string? Order { get; set; }

    /// <summary>The page size.</summary>
    public int PageSize => _pageSize;

    /// <summary>The order asked for.</summary>
    public WorkOsOrder ListOrder => _order;

    /// <summary>The session id of <c>before</c>, normalized.</summary>
    public string? BeforeId => _beforeId;

    /// <summary>The session id of <c>after</c>, normalized.</summary>
    public string? AfterId => _afterId;

    public void Validate(InputErrors errors)
    {
        _pageSize = InputRules.Integer(errors, "limit", Limit, 1, MaxLimit, DefaultLimit);
        WorkOsOrder? order = Order switch
        {
            null or "desc" => WorkOsOrder.Desc,
            "asc" => WorkOsOrder.Asc,
            "normal" => WorkOsOrder.Normal,
            _ => null,
        };
        if (order is null)
        {
            errors.Add("order", "'order' must be 'asc', 'desc' or 'normal'.");
        }

        _order = order ?? WorkOsOrder.Desc;
        _beforeId = Cursor(errors, "before", Before);
        _afterId = Cursor(errors, "after", After);
        if (_beforeId is not null && _afterId is not null)
        {
            errors.Add("before", InputCodes.ConflictingCursors, "Use either 'before' or 'after', not both.");
        }
    }

    private static string? Cursor(InputErrors errors, string field, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (SessionIdCodec.TryFromWorkOs(value, out var sessionId))
        {
            return sessionId;
        }

        errors.Add(field, InputCodes.InvalidCursor, $"'{field}' must be a session id ('session_' and 26 characters).");
        return null;
    }
}

/// <summary>WorkOS' revoke body; a missing one is judged as <c>{}</c> (422, <c>session_id_required</c>).</summary>
public sealed partial record WorkOsRevokeRequest : IOptionalBody<WorkOsRevokeRequest>
{
    public static WorkOsRevokeRequest Empty() => new(SessionId: null);

    private string? _id;

    /// <summary>The session id, as the service writes it (a ULID).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Id => _id ?? throw new InvalidOperationException("The request has not been validated.");

    public void Validate(InputErrors errors)
    {
        if (SessionId is null)
        {
            errors.AddRequired("session_id");
        }
        else if (!SessionIdCodec.TryFromWorkOs(SessionId, out _id))
        {
            errors.Add("session_id", InputCodes.InvalidSessionId, "'session_id' must be a session id ('session_' and 26 characters).");
        }
    }
}
