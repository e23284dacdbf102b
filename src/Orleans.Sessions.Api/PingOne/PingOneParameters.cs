using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Orleans.Sessions.Api.Compat;
using Orleans.Sessions.Api.Http;

namespace Orleans.Sessions.Api.PingOne;

/// <summary><c>/v1/environments/{envID}/users/{userID}/sessions</c>: the environment is the tenant.</summary>
public class PingOneUserRoute : IValidatable
{
    [FromRoute(Name = "envID"), RegularExpression(WirePatterns.Id)]
    public string EnvId { get; set; } = "";

    [FromRoute(Name = "userID"), RegularExpression(WirePatterns.Id)]
    public string UserId { get; set; } = "";

    public virtual void Validate(InputErrors errors)
    {
        InputRules.Id(errors, "envID", EnvId);
        InputRules.Id(errors, "userID", UserId);
    }
}

/// <summary><c>…/sessions/{sessionID}</c>, the session id as a UUID.</summary>
public sealed class PingOneSessionRoute : PingOneUserRoute
{
    private string? _id;

    [FromRoute(Name = "sessionID"), RegularExpression(WirePatterns.Uuid)]
    public string SessionId { get; set; } = "";

    /// <summary>The session id as the service writes it (a ULID).</summary>
    public string Id => _id ?? throw new InvalidOperationException("The route has not been validated.");

    public override void Validate(InputErrors errors)
    {
        base.Validate(errors);
        if (!SessionIdCodec.TryFromUuid(SessionId, out _id))
        {
            errors.Add("sessionID", "'sessionID' must be a session id (a UUID).");
        }
    }
}
