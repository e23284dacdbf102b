using System.Text;
using System.Text.Json;
using Orleans.Sessions.Events;
using Orleans.Sessions.SharedSignals;
using Orleans.Storage;

namespace Orleans.Sessions.Grains.Tests.Storage;

/// <summary>
/// The stored formats of a tenant's Shared Signals streams and of a poll stream's position and unacknowledged SETs:
/// the rows below must load in every later version — a stream stored before poll delivery existed among them, which
/// is a push stream.
/// </summary>
public sealed class StoredSharedSignalsFormatTests
{
    /// <summary>As the first version with streams wrote them: no delivery method.</summary>
    private const string StreamsRowBeforePoll = """
        {"streams":[{"id":"st_01M8Y022RAAFBASRNFEPWVA5EF","audience":"siem","issuer":"https://sessions.example/v1/tenants/acme",
          "endpointUrl":"https://siem.example/ssf","authorizationHeader":"Bearer x","eventsRequested":["https://schemas.openid.net/secevent/caep/event-type/session-revoked"],
          "status":"paused","statusReason":"maintenance","description":"SIEM","createdAt":"2026-12-03T12:00:00+00:00","removed":[{"format":"opaque","id":"01M8Y022RAAFBASRNFEPWVA5EG"}],
          "droppedThrough":{"transaction":7,"row":3}}]}
        """;

    private const string PollRow = """
        {"position":{"transaction":42,"row":5},"started":true,"outstanding":[
          {"jti":"01M8Y022RAAFBASRNFEPWVA5EH.st_01M8Y022RAAFBASRNFEPWVA5EF","token":"eyJhbGciOiJSUzI1NiJ9.e30.c2ln",
           "sentAt":"2026-12-03T12:00:05+00:00","occurredAt":"2026-12-03T12:00:00+00:00"}]}
        """;

    private static readonly SystemTextJsonGrainStorageSerializer Serializer = StorageJson.Serializer;

    [Fact]
    public void A_stream_stored_before_poll_delivery_loads_as_a_push_stream_with_everything_it_had()
    {
        var stream = Assert.Single(Load<SsfStreamsState>(StreamsRowBeforePoll).Streams);

        Assert.Equal(SsfDeliveryMethod.Push, stream.Method);
        Assert.Equal(("st_01M8Y022RAAFBASRNFEPWVA5EF", "siem", "https://siem.example/ssf", "Bearer x"), (stream.Id, stream.Audience, stream.EndpointUrl, stream.AuthorizationHeader));
        Assert.Equal((SsfStreamStatus.Paused, "maintenance"), (stream.Status, stream.StatusReason));
        Assert.Equal([new SsfSubject("opaque", "01M8Y022RAAFBASRNFEPWVA5EG")], stream.Removed);
        Assert.Equal(new EventPosition(7, 3), stream.DroppedThrough);
    }

    [Fact]
    public void A_poll_streams_position_and_unacknowledged_sets_load_and_are_written_under_the_same_names()
    {
        var state = Load<SsfPollState>(PollRow);

        Assert.True(state.Started);
        Assert.Equal(new EventPosition(42, 5), state.Position);
        var set = Assert.Single(state.Outstanding);
        Assert.Equal(("01M8Y022RAAFBASRNFEPWVA5EH.st_01M8Y022RAAFBASRNFEPWVA5EF", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln"), (set.Jti, set.Token));
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 12, 0, 5, TimeSpan.Zero), set.SentAt);

        using var written = JsonDocument.Parse(Serializer.Serialize(state).ToArray());
        using var expected = JsonDocument.Parse(PollRow);
        Assert.Equal(Names(expected.RootElement), Names(written.RootElement));
        Assert.Equal(Names(expected.RootElement.GetProperty("outstanding")[0]), Names(written.RootElement.GetProperty("outstanding")[0]));
    }

    private static T Load<T>(string row) => Serializer.Deserialize<T>(new BinaryData(Encoding.UTF8.GetBytes(row)))!;

    private static IEnumerable<string> Names(JsonElement element) => element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
}
