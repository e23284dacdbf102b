using System.Net;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Api.Tests.Hosting;

/// <summary>
/// Retention (docs/events.md, docs/audit.md): every silo deletes events past <c>Sessions:Events:Retention</c> and audit
/// entries past <c>Sessions:Audit:Retention</c>, each on its own interval, and keeps what is newer. Here both retentions
/// are a minute and both trims run every second; session time is moved past the minute.
/// </summary>
public sealed class RetentionTests(RetentionTests.ShortRetentionApiFactory factory) : IClassFixture<RetentionTests.ShortRetentionApiFactory>
{
    /// <summary>A host that keeps events and audit entries a minute, and trims every second.</summary>
    public sealed class ShortRetentionApiFactory : OwnClockApiFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Sessions:Events:Retention"] = "00:01:00",
            ["Sessions:Events:TrimInterval"] = "00:00:01",
            ["Sessions:Audit:Retention"] = "00:01:00",
            ["Sessions:Audit:TrimInterval"] = "00:00:01",
        };
    }

    [Fact]
    public async Task Events_and_audit_entries_past_their_retention_are_deleted_and_newer_ones_kept()
    {
        var old = new ApiClient(factory.CreateClient());
        var recent = new ApiClient(factory.CreateClient(), old.Tenant);
        var oldSession = (await old.SignOnAsync()).Str("id");
        Assert.Equal(HttpStatusCode.OK, (await old.PostAsync($"{old.Sessions}/{oldSession}/sign-out", null)).Status);

        factory.Clock.Advance(TimeSpan.FromMinutes(2));
        var recentSession = (await recent.SignOnAsync()).Str("id");
        Assert.Equal(HttpStatusCode.OK, (await recent.PostAsync($"{recent.Sessions}/{recentSession}/sign-out", null)).Status);

        await Waiting.WaitForAsync("the events and audit entries older than a minute to be deleted", async () =>
        {
            var events = (await EventFeedReader.ReadAllAsync(old.Http, old.Tenant)).Events.Select(e => e.Str("sessionId")).Distinct().ToList();
            var audit = (await AuditReader.ReadAllAsync(old.Http, old.Tenant)).Select(e => e.Str("sessionId")).ToList();
            return events.SequenceEqual([recentSession]) && audit.SequenceEqual([recentSession]);
        }, TimeSpan.FromSeconds(15));
    }
}
