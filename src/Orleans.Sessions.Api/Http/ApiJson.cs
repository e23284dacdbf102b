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

    /// <summary>
    /// Writes <c>2026-11-22T20:16:13.123Z</c>; reads any ISO 8601 time with an offset. The time is written as UTF-8 digits
    /// straight into the writer: a list of ten sessions writes about a hundred times, and a formatted string for each was a
    /// sixth of what a list request allocated (docs/operations.md, "Memory").
    /// </summary>
    public sealed class UtcMillisecondsConverter : JsonConverter<DateTimeOffset>
    {
        public const int Length = 24;

        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetDateTimeOffset();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
        {
            Span<byte> text = stackalloc byte[Length];
            Format(value, text);
            writer.WriteStringValue(text);
        }

        /// <summary>Writes <paramref name="value"/> in UTC as <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> into 24 bytes.</summary>
        public static void Format(DateTimeOffset value, Span<byte> text)
        {
            var utc = value.UtcDateTime;
            Digits(text[..4], utc.Year);
            text[4] = (byte)'-';
            Digits(text.Slice(5, 2), utc.Month);
            text[7] = (byte)'-';
            Digits(text.Slice(8, 2), utc.Day);
            text[10] = (byte)'T';
            Digits(text.Slice(11, 2), utc.Hour);
            text[13] = (byte)':';
            Digits(text.Slice(14, 2), utc.Minute);
            text[16] = (byte)':';
            Digits(text.Slice(17, 2), utc.Second);
            text[19] = (byte)'.';
            Digits(text.Slice(20, 3), utc.Millisecond);
            text[23] = (byte)'Z';
        }

        private static void Digits(Span<byte> into, int value)
        {
            for (var i = into.Length - 1; i >= 0; i--)
            {
                into[i] = (byte)('0' + (value % 10));
                value /= 10;
            }
        }
    }
}
