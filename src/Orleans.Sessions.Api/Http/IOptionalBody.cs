namespace Orleans.Sessions.Api.Http;

/// <summary>
/// A request body a client may leave out: <see cref="ValidationFilter"/> puts an empty one in its place before
/// validating, so a missing body is judged by the same rules as <c>{}</c> and the handler always gets one.
/// </summary>
public interface IOptionalBody<TSelf> : IValidatable
    where TSelf : class, IOptionalBody<TSelf>
{
    /// <summary>A new empty body (each request gets its own: validation keeps what it parses).</summary>
    static abstract TSelf Empty();
}
