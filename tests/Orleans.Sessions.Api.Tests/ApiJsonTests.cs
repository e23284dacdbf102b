using System.Globalization;
using System.Text;
using System.Text.Json;
using Orleans.Sessions.Api.Http;

namespace Orleans.Sessions.Api.Tests;

/// <summary>The API's times, written by hand as UTF-8 digits, are what the BCL's own formatter writes for the same instant.</summary>
public sealed class ApiJsonTests
{
    private static readonly JsonSerializerOptions Options = Configured();

    [Fact]
    public void Times_are_written_as_the_bcl_formats_them_in_utc_with_milliseconds()
    {
        var random = new Random(20261202);
        var edges = new[]
        {
            DateTimeOffset.MinValue, DateTimeOffset.MaxValue, DateTimeOffset.UnixEpoch,
            new DateTimeOffset(2026, 12, 31, 23, 59, 59, 999, TimeSpan.FromHours(-14)), // the next year in UTC
            new DateTimeOffset(2024, 2, 29, 0, 0, 0, 1, TimeSpan.FromHours(14)), // the day before in UTC
            new DateTimeOffset(2026, 11, 22, 20, 16, 13, TimeSpan.Zero).AddTicks(9_999), // sub-millisecond ticks are cut, not rounded
        };
        var samples = edges.Concat(Enumerable.Range(0, 20_000).Select(_ => new DateTimeOffset(
            random.NextInt64(DateTimeOffset.MinValue.UtcTicks + TimeSpan.TicksPerDay, DateTimeOffset.MaxValue.UtcTicks - TimeSpan.TicksPerDay),
            TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60 + 1)))));

        var text = new byte[ApiJson.UtcMillisecondsConverter.Length];
        foreach (var value in samples)
        {
            var expected = value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            Assert.Equal($"\"{expected}\"", JsonSerializer.Serialize(value, Options));
            ApiJson.UtcMillisecondsConverter.Format(value, text);
            Assert.Equal(expected, Encoding.ASCII.GetString(text));
        }
    }

    [Fact]
    public void Written_times_read_back_as_the_same_millisecond()
    {
        var value = new DateTimeOffset(2026, 12, 2, 22, 19, 4, 250, TimeSpan.FromHours(5.5)).AddTicks(4_321);
        var read = JsonSerializer.Deserialize<DateTimeOffset>(JsonSerializer.Serialize(value, Options), Options);
        Assert.Equal(value.UtcTicks / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond, read.UtcTicks);
        Assert.Equal(TimeSpan.Zero, read.Offset);
    }

    private static JsonSerializerOptions Configured()
    {
        var options = new JsonSerializerOptions();
        ApiJson.Configure(options);
        return options;
    }
}
