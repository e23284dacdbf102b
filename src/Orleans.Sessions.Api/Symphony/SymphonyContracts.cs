namespace Orleans.Sessions.Api.Symphony;

/// <summary><c>V1UserSessions</c> of the Pod API.</summary>
public sealed record V1UserSessions(IReadOnlyList<V1Session> Sessions);

/// <summary><c>V1Session</c> of the Pod API: times in epoch milliseconds, browser, OS and device as strings.</summary>
public sealed record V1Session(
    string SessionId,
    string ClientIp,
    long UserId,
    string? UserAgent,
    string Browser,
    string Os,
    string Device,
    string? DeviceHash,
    long CreationTime,
    long ExpirationDelay);

/// <summary>The Pod API's <c>SuccessResponse</c>.</summary>
public sealed record SuccessResponse(string Format, string Message)
{
    public static SuccessResponse Ok { get; } = new("TEXT", "OK");
}

/// <summary>The Pod API's <c>Error</c>: the HTTP status as <c>code</c>, and a message.</summary>
public sealed record SymphonyError(int Code, string Message);
