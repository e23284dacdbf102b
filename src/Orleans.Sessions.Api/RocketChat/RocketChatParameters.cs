using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Orleans.Sessions.Api.Compat;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.SessionDirectory;

namespace Orleans.Sessions.Api.RocketChat;

/// <summary>Rocket.Chat's page size, as both lists take it; their <c>offset</c> and <c>sort</c> (<see cref="RocketChatPaging"/>) differ in bounds and are each list's own.</summary>
public abstract class RocketChatPageParameters
{
    [FromQuery(Name = "count"), Range(1, DirectoryQuery.MaxLimit)]
    public string? Count { get; set; }
}

/// <summary><c>list.all</c>: <c>filter</c> (a regular expression over the sessions), and Rocket.Chat's paging and order.</summary>
public sealed class RocketChatListAllParameters : RocketChatPageParameters, IValidatable
{
    private DirectoryQuery? _query;

    [FromQuery(Name = "filter"), MaxLength(DirectoryFilter.MaxPatternLength), DataType(WirePatterns.RegexFormat)]
    public string? Filter { get; set; }

    [FromQuery(Name = "offset"), Range(0, DirectoryQuery.MaxOffset)]
    public string? Offset { get; set; }

    [FromQuery(Name = "sort"), RocketChatPaging.SortPattern(all: true)]
    public string? Sort { get; set; }

    /// <summary>The directory query asked for, for any caller (the handler adds the caller's scope).</summary>
    public DirectoryQuery Query => _query ?? throw new InvalidOperationException("The parameters have not been validated.");

    public void Validate(InputErrors errors)
    {
        var pattern = Filter is { Length: > 0 } ? Filter : null;
        if (pattern is not null && !DirectoryPatterns.TryValidate(pattern, out var patternError))
        {
            errors.Add("filter", patternError);
        }

        var (skip, take, field, descending) = RocketChatPaging.Parse(errors, Offset, Count, Sort, DirectoryQuery.MaxOffset);
        _query = new DirectoryQuery { Filter = new DirectoryFilter { Pattern = pattern }, Sort = field, Descending = descending, Offset = skip, Take = take };
    }
}

/// <summary><c>list</c>, the signed-in user's own sessions: paging, and an order by sign-on time only.</summary>
public sealed class RocketChatOwnListParameters : RocketChatPageParameters, IValidatable
{
    private (int Skip, int Take, DirectorySort Field, bool Descending) _page;

    [FromQuery(Name = "offset"), Range(0, int.MaxValue)]
    public string? Offset { get; set; }

    [FromQuery(Name = "sort"), RocketChatPaging.SortPattern(all: false)]
    public string? Sort { get; set; }

    public int Skip => _page.Skip;

    public int Take => _page.Take;

    public bool Descending => _page.Descending;

    public void Validate(InputErrors errors)
    {
        _page = RocketChatPaging.Parse(errors, Offset, Count, Sort, int.MaxValue);
        if (_page.Field != DirectorySort.LoginAt)
        {
            errors.Add("sort", "A user's own list sorts by 'loginAt' only.");
        }
    }
}

/// <summary><c>info</c>: one session of the signed-in user.</summary>
public sealed class RocketChatInfoParameters : IValidatable
{
    private string? _id;

    [FromQuery(Name = "sessionId"), Required, RegularExpression(WirePatterns.SessionId)]
    public string? SessionId { get; set; }

    /// <summary>The session id, normalized.</summary>
    public string Id => _id ?? throw new InvalidOperationException("The parameters have not been validated.");

    public void Validate(InputErrors errors) => _id = InputRules.SessionId(errors, "sessionId", SessionId);
}

/// <summary>Rocket.Chat's logout body; a missing one is judged as <c>{}</c> (400, 'sessionId' required).</summary>
public sealed partial record RocketChatLogoutRequest : IOptionalBody<RocketChatLogoutRequest>
{
    public static RocketChatLogoutRequest Empty() => new(SessionId: null);

    private string? _id;

    /// <summary>The session id, normalized.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Id => _id ?? throw new InvalidOperationException("The request has not been validated.");

    public void Validate(InputErrors errors) => _id = InputRules.SessionId(errors, "sessionId", SessionId);
}

/// <summary>Rocket.Chat's <c>offset</c>, <c>count</c> and <c>sort</c> (a JSON object of one field and 1 or -1, such as <c>{"loginAt":-1}</c>).</summary>
internal static class RocketChatPaging
{
    public const int DefaultCount = 50;

    private static readonly Dictionary<string, DirectorySort> SortFields = new(StringComparer.Ordinal)
    {
        ["loginAt"] = DirectorySort.LoginAt,
        ["_user.username"] = DirectorySort.UserName,
        ["device.name"] = DirectorySort.Browser,
        ["device.os.name"] = DirectorySort.Os,
    };

    /// <summary>
    /// The sorts in the OpenAPI document: a JSON object of one of the fields (all, or <c>loginAt</c> only for a user's
    /// own list) and 1 or -1, with JSON's white space.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property)]
    public sealed class SortPatternAttribute(bool all) : RegularExpressionAttribute(
        "^[ \\t\\n\\r]*\\{[ \\t\\n\\r]*\"(?:" + string.Join('|', (all ? SortFields.Keys.ToArray() : ["loginAt"]).Select(System.Text.RegularExpressions.Regex.Escape))
        + ")\"[ \\t\\n\\r]*:[ \\t\\n\\r]*-?1[ \\t\\n\\r]*\\}[ \\t\\n\\r]*$");

    public static (int Skip, int Take, DirectorySort Field, bool Descending) Parse(InputErrors errors, string? offset, string? count, string? sort, int maxOffset)
    {
        var skip = InputRules.Integer(errors, "offset", offset, 0, maxOffset, 0);
        var take = InputRules.Integer(errors, "count", count, 1, DirectoryQuery.MaxLimit, DefaultCount);
        var (field, descending) = ParseSort(errors, sort);
        return (skip, take, field, descending);
    }

    private static (DirectorySort Field, bool Descending) ParseSort(InputErrors errors, string? sort)
    {
        if (sort is null)
        {
            return (DirectorySort.LoginAt, true);
        }

        using var json = FacadeSupport.TryParseJson(sort);
        if (json?.RootElement is not { ValueKind: JsonValueKind.Object } root || root.EnumerateObject().Count() != 1)
        {
            errors.Add("sort", "'sort' must be a JSON object with one field, such as {\"loginAt\": -1}.");
            return default;
        }

        var property = root.EnumerateObject().Single();
        if (!SortFields.TryGetValue(property.Name, out var field))
        {
            errors.Add("sort", $"'sort' can order by {string.Join(", ", SortFields.Keys)}.");
        }

        if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out var direction) || direction is not (1 or -1))
        {
            errors.Add("sort", "'sort' directions are 1 (ascending) or -1 (descending).");
            return default;
        }

        return (field, direction == -1);
    }
}
