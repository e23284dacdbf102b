using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Orleans.Sessions.Api.Http;

namespace Orleans.Sessions.Api.Symphony;

/// <summary><c>/pod/v1/users/{uid}/sessions</c>: Symphony user ids are positive 64-bit integers, kept as text in the records.</summary>
public class SymphonyUserRoute : IValidatable
{
    private long _numericId;

    [FromRoute(Name = "uid"), Range(typeof(long), "1", "9223372036854775807")]
    public string Uid { get; set; } = "";

    /// <summary>The user id as a number, as Symphony writes it in a session.</summary>
    public long NumericId => _numericId;

    public virtual void Validate(InputErrors errors)
    {
        if (!long.TryParse(Uid, NumberStyles.None, CultureInfo.InvariantCulture, out _numericId) || _numericId <= 0)
        {
            errors.Add("uid", "'uid' must be a Symphony user id: a positive 64-bit integer.");
        }
    }
}

/// <summary><c>…/sessions/{sid}</c>.</summary>
public sealed class SymphonySessionRoute : SymphonyUserRoute
{
    private string? _id;

    [FromRoute(Name = "sid"), RegularExpression(WirePatterns.SessionId)]
    public string Sid { get; set; } = "";

    /// <summary>The session id, normalized.</summary>
    public string Id => _id ?? throw new InvalidOperationException("The route has not been validated.");

    public override void Validate(InputErrors errors)
    {
        base.Validate(errors);
        _id = InputRules.SessionId(errors, "sid", Sid);
    }
}
