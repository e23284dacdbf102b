namespace Orleans.Sessions.Api.Http;

/// <summary>
/// A type read from a request body. Its members are nullable so that its validation (<see cref="IValidatable"/>) can name
/// each missing or broken field instead of failing to bind; in the OpenAPI document it requires only the members marked
/// <see cref="System.ComponentModel.DataAnnotations.RequiredAttribute"/> (<see cref="OpenApiOptionalFields"/>), the
/// fields its validation requires.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RequestContractAttribute : Attribute;
