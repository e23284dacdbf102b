using System.ComponentModel.DataAnnotations;
using Orleans.Sessions.Events;

namespace Orleans.Sessions.Api.Events;

/// <summary>The event type names (<see cref="SessionEventTypes.All"/>) as a parameter's values in the OpenAPI document.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class EventTypeNamesAttribute() : AllowedValuesAttribute([.. SessionEventTypes.All]);
