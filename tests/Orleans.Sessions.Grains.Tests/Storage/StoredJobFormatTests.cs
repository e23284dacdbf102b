using System.Text;
using System.Text.Json;
using Orleans.Sessions.Jobs;
using Orleans.Sessions.SessionDirectory;
using Orleans.Storage;

namespace Orleans.Sessions.Grains.Tests.Storage;

/// <summary>
/// The stored format of a revoke-by-query job (docs/jobs.md) as this version writes it — the job, each shard's
/// position, the round under way — so that a job stored before an upgrade resumes after it.
/// </summary>
public sealed class StoredJobFormatTests
{
    private const string JobRow = """
        {"job":{"id":"job_01KAQ8D2F4H6K8M0P2R4T6W8Y0","tenant":"acme",
          "spec":{"filter":{"clientId":"kiosk","scope":{"populations":[]},"createdBefore":639000000000000000},"reason":"kiosk compromised","actor":"helpdesk","confirmedCount":1204},
          "status":"running","startedAt":"2026-12-03T12:00:00+00:00","matched":800,"ended":790,"skipped":10,"failed":0,"shardsDone":1,"shards":2},
         "shards":[{"done":true,"after":{"number":0,"sessionId":"01KAQ6S8V1M4ZC3T7B2N9XWD5E"}},{"done":false}],
         "inFlight":[{"userId":"ada","sessionId":"01KAQ6S8V1M4ZC3T7B2N9XWD5F"}]}
        """;

    private static readonly SystemTextJsonGrainStorageSerializer Serializer = StorageJson.Serializer;

    [Fact]
    public void A_stored_job_loads_with_its_counts_positions_and_round_under_way()
    {
        var state = Serializer.Deserialize<RevokeJobState>(new BinaryData(Encoding.UTF8.GetBytes(JobRow)))!;

        var job = state.Job!;
        Assert.Equal(("job_01KAQ8D2F4H6K8M0P2R4T6W8Y0", "acme", RevokeJobStatus.Running), (job.Id, job.Tenant, job.Status));
        Assert.Equal((800L, 790L, 10L, 0L, 1, 2), (job.Matched, job.Ended, job.Skipped, job.Failed, job.ShardsDone, job.Shards));
        Assert.Equal(("kiosk", 639000000000000000L, "helpdesk", 1204L), (job.Spec.Filter.ClientId, job.Spec.Filter.CreatedBefore!.Value, job.Spec.Actor, job.Spec.ConfirmedCount));
        Assert.True(job.Spec.Filter.Scope!.IsAll);
        Assert.Equal([true, false], state.Shards.Select(s => s.Done));
        Assert.Equal(new DirectoryPosition(0, null, "01KAQ6S8V1M4ZC3T7B2N9XWD5E"), state.Shards[0].After);
        Assert.Equal([new RevokeJobTarget("ada", "01KAQ6S8V1M4ZC3T7B2N9XWD5F")], state.InFlight);
    }

    [Fact]
    public void A_job_is_written_as_it_is_read()
    {
        var state = Serializer.Deserialize<RevokeJobState>(new BinaryData(Encoding.UTF8.GetBytes(JobRow)))!;
        using var written = JsonDocument.Parse(Serializer.Serialize(state).ToArray());
        using var expected = JsonDocument.Parse(JobRow);
        Assert.True(JsonElement.DeepEquals(expected.RootElement, written.RootElement), written.RootElement.GetRawText());
    }
}
