using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Orleans.Sessions.Api.Compat;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.MonoCloud;

/// <summary><c>/api/users/{user_id}/sessions</c>.</summary>
public class MonoCloudUserRoute : IValidatable
{
    [FromRoute(Name = "user_id"), RegularExpression(WirePatterns.Id)]
    public string UserId { get; set; } = "";

    public virtual void Validate(InputErrors errors) => InputRules.Id(errors, "user_id", UserId);
}

/// <summary><c>…/sessions/{session_id}</c>, the session id as 32 hexadecimal digits.</summary>
public sealed class MonoCloudSessionRoute : MonoCloudUserRoute
{
    private string? _id;

    [FromRoute(Name = "session_id"), RegularExpression(WirePatterns.Hex)]
    public string SessionId { get; set; } = "";

    /// <summary>The session id as the service writes it (a ULID).</summary>
    public string Id => _id ?? throw new InvalidOperationException("The route has not been validated.");

    public override void Validate(InputErrors errors)
    {
        base.Validate(errors);
        if (!SessionIdCodec.TryFromHex(SessionId, out _id))
        {
            errors.Add("session_id", "'session_id' must be a session id (32 hexadecimal digits).");
        }
    }
}

/// <summary>
/// MonoCloud's page (<c>page</c>, <c>size</c>), <c>client_id</c> filter and <c>sort=key:1|-1</c>. Numbers that are not
/// numbers are malformed (<see cref="InputCodes.Malformed"/>: MonoCloudSurface answers 400); values out of range are
/// invalid (422).
/// </summary>
public sealed class MonoCloudListParameters : IValidatable
{
    public const int DefaultSize = 10;
    public const int MaxSize = 100;
    public const int MaxPage = 10_000;

    private static readonly Dictionary<string, Func<Session, IComparable>> SortKeys = new(StringComparer.Ordinal)
    {
        ["session_id"] = s => s.Id,
        ["initiated_at"] = s => s.CreatedAt,
        ["expires_at"] = s => s.EffectiveExpiry,
        ["last_updated"] = s => s.ActiveAt,
    };

    /// <summary>The sort values the list takes (<c>key:1</c> or <c>key:-1</c>), in the OpenAPI document.</summary>
    private sealed class SortPatternAttribute() : RegularExpressionAttribute($"^({string.Join('|', SortKeys.Keys)}):-?1$");

    private int _page = 1;
    private int _size = DefaultSize;
    private Func<Session, IComparable> _key = SortKeys["initiated_at"];
    private bool _descending = true;

    [FromQuery(Name = "page"), Range(1, MaxPage)]
    public string? Page { get; set; }

    [FromQuery(Name = "size"), Range(1, MaxSize)]
    public string? Size { get; set; }

    [FromQuery(Name = "client_id"), RegularExpression(WirePatterns.ClientId)]
    public string? ClientId { get; set; }

    [FromQuery(Name = "sort"), SortPattern]
    public string? Sort { get; set; }

    public void Validate(InputErrors errors)
    {
        _page = Number(errors, "page", Page, 1, MaxPage, 1);
        _size = Number(errors, "size", Size, 1, MaxSize, DefaultSize);
        InputRules.ClientId(errors, "client_id", ClientId);
        if (Sort is null)
        {
            return;
        }

        var colon = Sort.LastIndexOf(':');
        if (colon <= 0 || !SortKeys.TryGetValue(Sort[..colon], out var key) || Sort[(colon + 1)..] is not ("1" or "-1"))
        {
            errors.Add("sort", $"'sort' must be 'key:1' or 'key:-1' with key one of {string.Join(", ", SortKeys.Keys)}.");
            return;
        }

        (_key, _descending) = (key, Sort.EndsWith("-1", StringComparison.Ordinal));
    }

    /// <summary>The asked page of <paramref name="sessions"/> in the asked order (the session id breaks ties).</summary>
    public IEnumerable<Session> PageOf(IEnumerable<Session> sessions)
    {
        var ordered = _descending
            ? sessions.OrderByDescending(_key).ThenByDescending(s => s.Id, StringComparer.Ordinal)
            : sessions.OrderBy(_key).ThenBy(s => s.Id, StringComparer.Ordinal);
        return ordered.Skip((_page - 1) * _size).Take(_size);
    }

    private static int Number(InputErrors errors, string field, string? value, int min, int max, int fallback)
    {
        if (value is not null && !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            errors.Add(field, InputCodes.Malformed(field), $"'{field}' must be a whole number.");
            return fallback;
        }

        return InputRules.Integer(errors, field, value, min, max, fallback);
    }
}
