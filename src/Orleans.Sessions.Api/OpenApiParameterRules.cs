using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Orleans.Sessions.Api;

/// <summary>
/// The rules of each path and query parameter in the OpenAPI document, from the attributes on the property or parameter
/// it is bound to: <see cref="RegularExpressionAttribute"/> is its pattern (<see cref="Http.WirePatterns"/>),
/// <see cref="RangeAttribute"/> makes it an integer in that range, <see cref="MaxLengthAttribute"/> and <see cref="StringLengthAttribute"/> bound its length, <see cref="AllowedValuesAttribute"/> its values, <see cref="DataType.DateTime"/> an RFC 3339 time (a custom data type its format), and
/// <see cref="RequiredAttribute"/> requires it (and a body with a required field is required), <see cref="Http.GivenOnceAttribute"/> makes an array of at most one value. The
/// parameters are bound as text so that their validation can name a bad value in the surface's own words; these
/// attributes only describe them (the service does not run DataAnnotations validation).
/// </summary>
internal static class OpenApiParameterRules
{
    public static Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var description in context.Description.ParameterDescriptions)
        {
            if (description.ParameterDescriptor is not IParameterInfoParameterDescriptor { ParameterInfo: var info }
                || operation.Parameters?.OfType<OpenApiParameter>().FirstOrDefault(p => p.Name == description.Name) is not { Schema: OpenApiSchema schema } parameter)
            {
                continue;
            }

            // A parameter that may come more than once (an array) has its rules on each value.
            var values = schema.Type == JsonSchemaType.Array && schema.Items is OpenApiSchema items ? items : schema;
            foreach (var attribute in info.GetCustomAttributes<ValidationAttribute>())
            {
                switch (attribute)
                {
                    case RegularExpressionAttribute pattern:
                        values.Pattern = pattern.Pattern;
                        break;
                    case MaxLengthAttribute length:
                        values.MaxLength = length.Length;
                        break;
                    case RangeAttribute range:
                        values.Type = JsonSchemaType.Integer;
                        values.Format = null;
                        values.Pattern = null;
                        values.Minimum = Convert.ToString(range.Minimum, CultureInfo.InvariantCulture);
                        values.Maximum = Convert.ToString(range.Maximum, CultureInfo.InvariantCulture);
                        break;
                    case StringLengthAttribute length:
                        values.MaxLength = length.MaximumLength;
                        values.MinLength = length.MinimumLength > 0 ? length.MinimumLength : null;
                        break;
                    case DataTypeAttribute { DataType: DataType.DateTime }:
                        values.Format = "date-time";
                        break;
                    case DataTypeAttribute { DataType: DataType.Custom, CustomDataType: var format }:
                        values.Format = format;
                        break;
                    case AllowedValuesAttribute allowed:
                        values.Enum = OpenApiFieldValues.EnumOf(allowed);
                        break;
                }
            }

            if (schema.Type == JsonSchemaType.Array && info.GetCustomAttribute<Http.GivenOnceAttribute>() is not null)
            {
                schema.MaxItems = 1;
            }

            if (info.GetCustomAttribute<RequiredAttribute>() is not null)
            {
                parameter.Required = true;
            }
        }

        // Fields this endpoint requires beyond the body schema it shares: all of that schema and those.
        if (operation.RequestBody is OpenApiRequestBody shared && context.Description.ActionDescriptor.EndpointMetadata.OfType<Http.RequiredBodyFields>().FirstOrDefault() is { } more
            && shared.Content?.TryGetValue("application/json", out var media) == true && media.Schema is { } schemaOfBody)
        {
            media.Schema = new OpenApiSchema { AllOf = [schemaOfBody, new OpenApiSchema { Required = new HashSet<string>(more.Fields, StringComparer.Ordinal) }] };
            shared.Required = true;
        }

        // A body with a field its validation requires is itself required, even where a missing one is judged as {}.
        if (operation.RequestBody is OpenApiRequestBody body && context.Description.ParameterDescriptions.FirstOrDefault(p => p.Source == BindingSource.Body)?.Type is { } type
            && type.GetProperties().Any(p => p.GetCustomAttribute<RequiredAttribute>() is not null))
        {
            body.Required = true;
        }

        return Task.CompletedTask;
    }
}
