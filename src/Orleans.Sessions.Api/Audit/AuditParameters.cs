using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Audit;

namespace Orleans.Sessions.Api.Audit;

/// <summary>The query of the audit history (docs/audit.md): filters, <c>limit</c>, <c>cursor</c>.</summary>
public sealed class AuditParameters : IValidatable
{
    public const int MaxLimit = 1000;
    public const int DefaultLimit = 100;
    public const int MaxActorLength = 128;

    private AuditQuery? _query;

    [FromQuery(Name = "userId"), RegularExpression(WirePatterns.Id)]
    public string? UserId { get; set; }

    [FromQuery(Name = "actor"), Description("The name of the credential that acted, or self (an end user) or system (a limit, an expiry)."), MaxLength(MaxActorLength), RegularExpression(WirePatterns.Text)]
    public string? Actor { get; set; }

    [FromQuery(Name = "kind"), AllowedValues(AuditKinds.SignOut, AuditKinds.Revoke, AuditKinds.RevokeAll, AuditKinds.RevokeByQuery, AuditKinds.Eviction, AuditKinds.Expiry, AuditKinds.Admin)]
    public string? Kind { get; set; }

    [FromQuery(Name = "since"), Description("Entries at or after this time."), DataType(DataType.DateTime)]
    public string? Since { get; set; }

    [FromQuery(Name = "until"), Description("Entries before this time."), DataType(DataType.DateTime)]
    public string? Until { get; set; }

    [FromQuery(Name = "limit"), Range(1, MaxLimit)]
    public string? Limit { get; set; }

    [FromQuery(Name = "cursor"), Description("The nextCursor of an earlier answer with the same filters; any other is refused."), MaxLength(AuditCursor.MaxLength), RegularExpression(WirePatterns.Cursor)]
    public string? Cursor { get; set; }

    public AuditQuery Query => _query ?? throw new InvalidOperationException("The audit query has not been validated.");

    public void Validate(InputErrors errors)
    {
        InputRules.Id(errors, "userId", UserId, required: false);
        InputRules.Text(errors, "actor", Actor, MaxActorLength);
        if (Kind is not null && !AuditKinds.All.Contains(Kind))
        {
            errors.Add("kind", $"'kind' must be one of {string.Join(", ", AuditKinds.All)}.");
        }

        var since = InputRules.Time(errors, "since", Since);
        var until = InputRules.Time(errors, "until", Until);
        var limit = InputRules.Integer(errors, "limit", Limit, 1, MaxLimit, DefaultLimit);
        long? before = null;
        if (Cursor is { Length: > 0 } cursor)
        {
            if (AuditCursor.TryDecode(cursor, out var position))
            {
                before = position;
            }
            else
            {
                errors.Add("cursor", "'cursor' is not a cursor of this list: use the nextCursor of an earlier answer, or start without it.");
            }
        }

        _query = new AuditQuery
        {
            UserId = UserId,
            Actor = Actor,
            Kind = Kind,
            Since = since is { } s ? new DateTimeOffset(s, TimeSpan.Zero) : null,
            Until = until is { } u ? new DateTimeOffset(u, TimeSpan.Zero) : null,
            Before = before,
            Limit = limit,
        };
    }
}
