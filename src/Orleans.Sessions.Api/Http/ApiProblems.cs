using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Http;

/// <summary>
/// The problem details (RFC 9457) the API answers with. Each kind has a stable <c>type</c> that clients
/// can switch on; titles are fixed, details say what happened.
/// </summary>
public static class ApiProblems
{
    public const string TypePrefix = "urn:orleans-sessions:problem:";
    public const string ValidationType = TypePrefix + "validation";
    public const string SessionNotFoundType = TypePrefix + "session-not-found";
    public const string SessionNotActiveType = TypePrefix + "session-not-active";
    public const string ActiveSessionLimitType = TypePrefix + "active-session-limit";
    public const string BadRequestType = TypePrefix + "bad-request";
    public const string BodyTooLargeType = TypePrefix + "body-too-large";
    public const string MetadataTooLargeType = TypePrefix + "metadata-too-large";
    public const string UnsupportedMediaTypeType = TypePrefix + "unsupported-media-type";
    public const string UnauthorizedType = TypePrefix + "unauthorized";
    public const string ForbiddenType = TypePrefix + "forbidden";
    public const string TotpRequiredType = TypePrefix + "totp-required";
    public const string TotpInvalidType = TypePrefix + "totp-invalid";
    public const string RateLimitedType = TypePrefix + "rate-limited";
    public const string OutOfScopeType = TypePrefix + "out-of-scope";
    public const string UnavailableType = TypePrefix + "unavailable";
    public const string InternalType = TypePrefix + "internal";

    /// <summary>The codes of each validation problem's messages, kept off the wire (problem details show only messages).</summary>
    private static readonly ConditionalWeakTable<ProblemDetails, Dictionary<string, string[]>> FieldCodes = [];

    public static ValidationProblem Validation(InputErrors errors)
    {
        var problem = TypedResults.ValidationProblem(errors.ToDictionary(), detail: "The request has invalid fields; see 'errors'.", type: ValidationType);
        FieldCodes.Add(problem.ProblemDetails, errors.Codes());
        return problem;
    }

    /// <summary>
    /// The machine code of a validation problem's message (<see cref="InputCodes"/>), for surfaces that write one
    /// per field; <see cref="InputCodes.Invalid"/> of the field for a problem made elsewhere.
    /// </summary>
    public static string CodeOf(ProblemDetails problem, string field, int index) =>
        FieldCodes.TryGetValue(problem, out var codes) && codes.TryGetValue(field, out var ofField) && index < ofField.Length
            ? ofField[index]
            : InputCodes.Invalid(field);

    public static ProblemHttpResult SessionNotFound(string sessionId) =>
        TypedResults.Problem($"No session '{sessionId}' for this user.", statusCode: StatusCodes.Status404NotFound, title: "Session not found", type: SessionNotFoundType);

    public static ProblemHttpResult SessionNotActive(Session? session) =>
        TypedResults.Problem(
            $"The session is {session?.Status.ToString().ToLowerInvariant() ?? "not active"}; the operation applies only to active sessions.",
            statusCode: StatusCodes.Status409Conflict,
            title: "Session not active",
            type: SessionNotActiveType,
            extensions: session is null ? null : new Dictionary<string, object?> { ["sessionStatus"] = session.Status.ToString().ToLowerInvariant() });

    public static ProblemHttpResult ActiveSessionLimit() =>
        TypedResults.Problem("The user has reached the maximum number of active sessions.", statusCode: StatusCodes.Status409Conflict, title: "Too many active sessions", type: ActiveSessionLimitType);

    /// <summary>413: the merge patch would leave more metadata than a session may have.</summary>
    public static ProblemHttpResult MetadataTooLarge() =>
        TypedResults.Problem(
            $"The patched metadata would have more than {SessionMetadata.MaxKeys} keys or {SessionMetadata.MaxBytes} bytes as compact JSON; nothing was changed.",
            statusCode: StatusCodes.Status413PayloadTooLarge, title: "Metadata too large", type: MetadataTooLargeType);

    public static ProblemHttpResult OutOfScope() =>
        TypedResults.Problem("The credential is limited to populations that do not include this one.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", type: OutOfScopeType);

    /// <summary>The answer to a refused session operation, by its error.</summary>
    public static ProblemHttpResult ForError(SessionError error, string sessionId, Session? session) => error switch
    {
        SessionError.NotFound => SessionNotFound(sessionId),
        SessionError.NotActive => SessionNotActive(session),
        SessionError.ActiveLimitReached => ActiveSessionLimit(),
        SessionError.OutOfScope => OutOfScope(),
        SessionError.MetadataTooLarge => MetadataTooLarge(),
        _ => throw new ArgumentOutOfRangeException(nameof(error), error, "Not an error."),
    };
}
