namespace Orleans.Sessions.Api.Http;

/// <summary>
/// Endpoint metadata: fields this endpoint's body requires beyond its schema, which another endpoint shares — a webhook
/// registration requires <c>url</c>, its update does not. The OpenAPI document requires them for this endpoint
/// (<see cref="OpenApiParameterRules"/>); the body's validation is what enforces them.
/// </summary>
public sealed record RequiredBodyFields(params string[] Fields);
