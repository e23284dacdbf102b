using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orleans.Sessions.Api.Http;

/// <summary>JSON conventions of the canonical API: camelCase, enums by name, RFC 3339 UTC times with milliseconds.</summary>
public static class ApiJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.Converters.Add(new UtcMillisecondsConverter());
    }

    /// <summary>Writes <c>2026-11-22T20:16:13.123Z</c>; reads any ISO 8601 time with an offset.</summary>
    public sealed class UtcMillisecondsConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetDateTimeOffset();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
    }
}
