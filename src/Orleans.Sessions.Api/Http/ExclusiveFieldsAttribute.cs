namespace Orleans.Sessions.Api.Http;

/// <summary>
/// One way of filling a request body whose ways exclude each other: all of <see cref="Fields"/> and none of the fields
/// another <see cref="ExclusiveFieldsAttribute"/> of the type names (a redelivery's <c>eventId</c>, or <c>from</c> and
/// <c>until</c>). In the OpenAPI document the body is one of these ways (<see cref="OpenApiExclusiveFields"/>); the
/// request's own validation says the same in words.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ExclusiveFieldsAttribute(params string[] fields) : Attribute
{
    public IReadOnlyList<string> Fields { get; } = fields;
}
