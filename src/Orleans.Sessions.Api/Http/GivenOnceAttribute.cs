namespace Orleans.Sessions.Api.Http;

/// <summary>
/// A query parameter bound as an array only so that its validation can refuse a repeat by name: in the OpenAPI document
/// it is an array of at most one value (<see cref="OpenApiParameterRules"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class GivenOnceAttribute : Attribute;
