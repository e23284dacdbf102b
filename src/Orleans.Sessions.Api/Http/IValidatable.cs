namespace Orleans.Sessions.Api.Http;

/// <summary>
/// A handler's input that checks itself before the handler runs: a request body, or the route values and query
/// parameters of an endpoint bound with <c>[AsParameters]</c>. It parses what it checks and keeps the parsed
/// values, so the handler reads typed input and never sees a bad request (<see cref="ValidationFilter"/>).
/// </summary>
public interface IValidatable
{
    /// <summary>Adds an error for every input that breaks a rule; parses the rest.</summary>
    void Validate(InputErrors errors);
}
