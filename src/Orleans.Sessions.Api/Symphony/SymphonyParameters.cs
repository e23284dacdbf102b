using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Orleans.Sessions.Api.Http;

namespace Orleans.Sessions.Api.Symphony;

/// <summary><c>/pod/v1/users/{uid}/sessions</c>: Symphony user ids are positive 64-bit integers, kept as text in the records.</summary>
public sealed class SymphonyUserRoute : IValidatable
{
    private long _numericId;

    [FromRoute(Name = "uid")]
    public string Uid { get; set; } = "";

    /// <summary>The user id as a number, as Symphony writes it in a session.</summary>
    public long NumericId => _numericId;

    public void Validate(InputErrors errors) => _numericId = UserIdOf(errors, Uid);

    internal static long UserIdOf(InputErrors errors, string uid)
    {
        if (!long.TryParse(uid, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
        {
            errors.Add("uid", "'uid' must be a Symphony user id: a positive 64-bit integer.");
        }

        return id;
    }
}

/// <summary><c>…/sessions/{sid}</c>.</summary>
public sealed class SymphonySessionRoute : IValidatable
{
    private string? _id;

    [FromRoute(Name = "uid")]
    public string Uid { get; set; } = "";

    [FromRoute(Name = "sid")]
    public string Sid { get; set; } = "";

    /// <summary>The session id, normalized.</summary>
    public string Id => _id ?? throw new InvalidOperationException("The route has not been validated.");

    public void Validate(InputErrors errors)
    {
        SymphonyUserRoute.UserIdOf(errors, Uid);
        _id = InputRules.SessionId(errors, "sid", Sid);
    }
}
