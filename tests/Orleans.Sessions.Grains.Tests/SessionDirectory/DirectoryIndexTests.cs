using System.Collections.Immutable;
using System.Diagnostics;
using Orleans.Sessions.SessionDirectory;

namespace Orleans.Sessions.Grains.Tests.SessionDirectory;

public sealed class DirectoryIndexTests
{
    private static readonly long Now = new DateTime(2026, 11, 22, 12, 0, 0, DateTimeKind.Utc).Ticks;
    private static readonly long Later = Now + TimeSpan.TicksPerHour;

    private readonly DirectoryIndex _index = new();
    private readonly List<DirectoryItem> _all = [];
    private int _sequence;

    public DirectoryIndexTests()
    {
        string[] browsers = ["Chrome", "Firefox", "Safari", "Edge"];
        string[] systems = ["Windows", "Mac OS X", "Linux", "iOS"];
        string[] devices = ["desktop", "mobile", "tablet"];
        string[] countries = ["FR", "US", "DE"];
        for (var u = 0; u < 12; u++)
        {
            var sessions = Enumerable.Range(0, 3).Select(k => Summary(
                $"user{u:D2}",
                ip: $"10.{u}.{k}.1",
                browser: browsers[(u + k) % 4],
                os: systems[(u * 3 + k) % 4],
                device: devices[(u + 2 * k) % 3],
                country: countries[(u + k) % 3],
                activeAt: Now - ((u * 3 + k) * TimeSpan.TicksPerMinute),
                clientId: k == 0 ? "web" : "mobile",
                impersonated: u == 3 && k == 1)).ToImmutableArray();
            var (name, display) = ($"Name{(char)('A' + (11 - u))}", $"Display {u}");
            _index.Apply(new DirectoryUserUpdate($"user{u:D2}", 1, name, display, sessions));
            _all.AddRange(sessions.Select(s => new DirectoryItem(s, name, display)));
        }
    }

    public static TheoryData<string, Func<DirectoryItem, bool>, DirectoryFilter> Filters => new()
    {
        { "userId", i => i.Session.UserId == "user05", new DirectoryFilter { UserId = "user05" } },
        { "clientId", i => i.Session.ClientIds.Contains("web"), new DirectoryFilter { ClientId = "web" } },
        { "authMethod", i => i.Session.AuthMethod == "sso", new DirectoryFilter { AuthMethod = "SSO" } },
        { "country", i => i.Session.CountryCode == "FR", new DirectoryFilter { CountryCode = "fr" } },
        { "deviceType", i => i.Session.DeviceType == "mobile", new DirectoryFilter { DeviceType = "mobile" } },
        { "ip address", i => i.Session.Ip == "10.4.2.1", new DirectoryFilter { Ip = new IpNetworkFilter("10.4.2.1", 32) } },
        { "ip range", i => i.Session.Ip.StartsWith("10.4.", StringComparison.Ordinal), new DirectoryFilter { Ip = new IpNetworkFilter("10.4.0.0", 16) } },
        { "activeSince", i => i.Session.ActiveAt >= Now - (10 * TimeSpan.TicksPerMinute), new DirectoryFilter { ActiveSince = Now - (10 * TimeSpan.TicksPerMinute) } },
        { "activeBefore", i => i.Session.ActiveAt < Now - (10 * TimeSpan.TicksPerMinute), new DirectoryFilter { ActiveBefore = Now - (10 * TimeSpan.TicksPerMinute) } },
        { "impersonated", i => i.Session.Impersonated, new DirectoryFilter { Impersonated = true } },
        { "q on user name", i => i.UserName == "NameC", new DirectoryFilter { Pattern = "^namec$" } },
        { "q on display name", i => i.DisplayName == "Display 7", new DirectoryFilter { Pattern = "play 7$" } },
        { "q on user id", i => i.Session.UserId == "user10", new DirectoryFilter { Pattern = "R10" } },
        { "q on ip", i => i.Session.Ip.StartsWith("10.11.", StringComparison.Ordinal), new DirectoryFilter { Pattern = @"^10\.11\." } },
        { "q on browser or os", i => i.Session.Browser == "Safari" || i.Session.Os == "Mac OS X", new DirectoryFilter { Pattern = "safari|mac os" } },
        { "q on device", i => i.Session.DeviceType == "tablet", new DirectoryFilter { Pattern = "^tablet$" } },
        { "combined", i => i.Session.CountryCode == "US" && i.Session.DeviceType == "desktop", new DirectoryFilter { CountryCode = "US", DeviceType = "desktop" } },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public void Every_filter_selects_exactly_the_matching_sessions(string name, Func<DirectoryItem, bool> expected, DirectoryFilter filter)
    {
        var slice = _index.Query(new DirectoryQuery { Filter = filter, Take = 1000 }, Now);

        var want = _all.Where(expected).Select(i => i.Session.SessionId).Order(StringComparer.Ordinal).ToList();
        Assert.True(want.Count > 0, $"the data set has no session for the '{name}' filter");
        Assert.Equal(want, slice.Items.Select(i => i.Session.SessionId).Order(StringComparer.Ordinal));
        Assert.Equal(want.Count, slice.Total);
        Assert.Equal(want.Count, _index.Count(filter, Now).Total);
    }

    public static TheoryData<DirectorySort, bool> Sorts()
    {
        var data = new TheoryData<DirectorySort, bool>();
        foreach (var sort in Enum.GetValues<DirectorySort>())
        {
            data.Add(sort, true);
            data.Add(sort, false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Sorts))]
    public void Every_sort_in_both_directions_pages_through_everything_in_order(DirectorySort sort, bool descending)
    {
        var expected = _all.Order(Comparer<DirectoryItem>.Create((a, b) => DirectoryOrder.Compare(sort, descending, a, b)))
            .Select(i => i.Session.SessionId).ToList();

        var seen = new List<string>();
        DirectoryPosition? after = null;
        for (var page = 0; page < 20; page++)
        {
            var slice = _index.Query(new DirectoryQuery { Sort = sort, Descending = descending, Take = 5, After = after }, Now);
            Assert.Equal(_all.Count, slice.Total);
            if (slice.Items.IsEmpty)
            {
                break;
            }

            seen.AddRange(slice.Items.Select(i => i.Session.SessionId));
            after = DirectoryOrder.PositionOf(sort, slice.Items[^1]);
        }

        Assert.Equal(expected, seen);
        Assert.True(IsOrdered(sort, descending), "the expected order itself must be total");
    }

    [Fact]
    public void The_default_sort_is_newest_sign_on_first()
    {
        var slice = _index.Query(new DirectoryQuery { Take = 3 }, Now);

        Assert.Equal(_all.Select(i => i.Session.SessionId).Order(StringComparer.Ordinal).Reverse().Take(3), slice.Items.Select(i => i.Session.SessionId));
    }

    [Fact]
    public void Updates_apply_in_revision_order_only()
    {
        var fresh = Summary("late", ip: "192.0.2.1");
        Assert.True(_index.Apply(new DirectoryUserUpdate("late", 5, "Late", null, [fresh])));
        Assert.False(_index.Apply(new DirectoryUserUpdate("late", 4, "Late", null, [])));
        Assert.False(_index.Apply(new DirectoryUserUpdate("late", 5, "Late", null, [])));
        Assert.Equal((1, 5L), (CountOf("late"), _index.RevisionOf("late")));

        Assert.True(_index.Apply(new DirectoryUserUpdate("late", 6, "Late", null, [])));
        Assert.Equal((0, 6L), (CountOf("late"), _index.RevisionOf("late")));
        Assert.Equal(0, _index.RevisionOf("stranger"));
    }

    [Fact]
    public void Expired_sessions_are_not_listed_and_are_purged_by_the_index_itself()
    {
        var soon = Summary("brief", ip: "192.0.2.2") with { IdleExpiresAt = Now + TimeSpan.TicksPerMinute };
        var extended = Summary("brief", ip: "192.0.2.3") with { IdleExpiresAt = Now + TimeSpan.TicksPerMinute };
        _index.Apply(new DirectoryUserUpdate("brief", 1, null, null, [soon, extended]));
        _index.Apply(new DirectoryUserUpdate("brief", 2, null, null, [soon, extended with { IdleExpiresAt = Later }]));
        var afterExpiry = Now + (2 * TimeSpan.TicksPerMinute);

        Assert.Equal(1, _index.Query(new DirectoryQuery { Filter = new DirectoryFilter { UserId = "brief" } }, afterExpiry).Total);
        Assert.Equal(2, CountOf("brief"));
        Assert.Equal(1, _index.Purge(afterExpiry));
        // Purged, not just hidden: even a query at a time before its expiry no longer finds it.
        Assert.Equal(1, CountOf("brief"));
        Assert.Equal(_all.Count + 1, _index.Query(new DirectoryQuery(), afterExpiry).Total);
    }

    [Fact]
    public void Repeated_updates_of_the_same_sessions_do_not_grow_the_expiry_queue()
    {
        var session = Summary("busy", ip: "192.0.2.4");
        var queued = _index.QueuedExpiries;
        for (var revision = 1; revision <= 500; revision++)
        {
            var active = session with { ActiveAt = Now + revision, IdleExpiresAt = Later + revision };
            _index.Apply(new DirectoryUserUpdate("busy", revision, null, null, [active]));
        }

        Assert.Equal(queued + 1, _index.QueuedExpiries);
    }

    [Fact]
    public void A_user_without_sessions_takes_no_room()
    {
        Assert.False(_index.Apply(new DirectoryUserUpdate("nobody", 1, null, null, [])));

        // Not even its revision is kept: the index holds nothing for it.
        Assert.Equal(0, _index.RevisionOf("nobody"));
    }

    [Fact]
    public void Counts_are_grouped_by_country_and_device_type()
    {
        var counts = _index.Count(new DirectoryFilter(), Now);

        Assert.Equal(_all.Count, counts.Total);
        foreach (var group in _all.GroupBy(i => i.Session.CountryCode!))
        {
            Assert.Equal(group.Count(), counts.ByCountry[group.Key]);
        }

        foreach (var group in _all.GroupBy(i => i.Session.DeviceType))
        {
            Assert.Equal(group.Count(), counts.ByDeviceType[group.Key]);
        }
    }

    [Fact]
    public void A_catastrophic_pattern_over_long_input_is_answered_in_linear_time()
    {
        var longName = new string('a', 5000) + "!";
        for (var u = 0; u < 200; u++)
        {
            _index.Apply(new DirectoryUserUpdate($"evil{u}", 1, longName, longName, [Summary($"evil{u}", ip: "192.0.2.9")]));
        }

        var timer = Stopwatch.StartNew();
        var slice = _index.Query(new DirectoryQuery { Filter = new DirectoryFilter { Pattern = "(a+)+$" } }, Now);

        // With backtracking this is 2^5000 steps per name; the linear engine does it in milliseconds.
        Assert.True(timer.Elapsed < TimeSpan.FromSeconds(10), $"took {timer.Elapsed}");
        // Case-insensitive: only "NameA" ends in an a; the long names end in "!".
        Assert.Equal(_all.Count(i => i.UserName!.EndsWith("a", StringComparison.OrdinalIgnoreCase)), slice.Total);
        Assert.True(slice.Total > 0);
    }

    [Theory]
    [InlineData("(a")]
    [InlineData(@"(\w)\1")]
    [InlineData("(?=a)b")]
    [InlineData("")]
    public void Patterns_the_linear_engine_cannot_run_are_refused(string pattern)
    {
        Assert.False(DirectoryPatterns.TryValidate(pattern, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    private int CountOf(string userId) =>
        _index.Query(new DirectoryQuery { Filter = new DirectoryFilter { UserId = userId } }, Now).Total;

    private bool IsOrdered(DirectorySort sort, bool descending) =>
        _all.Select(i => DirectoryOrder.PositionOf(sort, i)).Distinct().Count() == _all.Count;

    [Fact]
    public void An_index_of_metadata_keys_answers_what_the_scan_answers_through_changes_removals_and_expiries()
    {
        var indexed = new DirectoryIndex(["plan", "region"]);
        var scanned = new DirectoryIndex();
        string[] plans = ["free", "pro", "enterprise"];
        var updates = new List<DirectoryUserUpdate>();
        for (var u = 0; u < 30; u++)
        {
            var sessions = Enumerable.Range(0, 3).Select(k => Summary($"m{u:D2}", ip: $"10.9.{u}.{k}") with
            {
                Metadata = ImmutableSortedDictionary.CreateRange(
                [
                    KeyValuePair.Create("plan", Orleans.Sessions.Users.MetadataValue.Of(plans[(u + k) % 3])),
                    KeyValuePair.Create("seats", new Orleans.Sessions.Users.MetadataValue(Orleans.Sessions.Users.MetadataKind.Number, ((u % 4) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))),
                ]),
                ExpiresAt = u % 5 == 0 ? Now + TimeSpan.TicksPerMinute : Later,
                IdleExpiresAt = u % 5 == 0 ? Now + TimeSpan.TicksPerMinute : Later,
            }).ToImmutableArray();
            updates.Add(new DirectoryUserUpdate($"m{u:D2}", 1, null, null, sessions));
        }

        // A later revision of some users: a patched plan, a session gone, every session gone.
        updates.Add(updates[3] with { Revision = 2, ActiveSessions = [.. updates[3].ActiveSessions.Select(x => x with { Metadata = x.Metadata!.SetItem("plan", Orleans.Sessions.Users.MetadataValue.Of("pro")) })] });
        updates.Add(updates[4] with { Revision = 2, ActiveSessions = updates[4].ActiveSessions.RemoveAt(0) });
        updates.Add(updates[6] with { Revision = 2, ActiveSessions = [] });
        foreach (var update in updates)
        {
            indexed.Apply(update);
            scanned.Apply(update);
        }

        DirectoryFilter[] filters =
        [
            new() { Metadata = ImmutableSortedDictionary.CreateRange([KeyValuePair.Create("plan", "pro")]) },
            new() { Metadata = ImmutableSortedDictionary.CreateRange([KeyValuePair.Create("plan", "enterprise"), KeyValuePair.Create("seats", "2")]) },
            new() { Metadata = ImmutableSortedDictionary.CreateRange([KeyValuePair.Create("plan", "free")]), Ip = new IpNetworkFilter("10.9.0.0", 16) },
            new() { Metadata = ImmutableSortedDictionary.CreateRange([KeyValuePair.Create("plan", "none")]) },
            new() { Metadata = ImmutableSortedDictionary.CreateRange([KeyValuePair.Create("region", "eu")]) },
            new() { Metadata = ImmutableSortedDictionary.CreateRange([KeyValuePair.Create("seats", "3")]) },
        ];
        foreach (var now in new[] { Now, Now + (2 * TimeSpan.TicksPerMinute) })
        {
            indexed.Purge(now);
            scanned.Purge(now);
            foreach (var filter in filters)
            {
                var query = new DirectoryQuery { Filter = filter, Take = 500 };
                var expected = scanned.Query(query, now);
                var actual = indexed.Query(query, now);
                Assert.Equal(expected.Total, actual.Total);
                Assert.Equal(expected.Items.Select(i => i.Session.SessionId), actual.Items.Select(i => i.Session.SessionId));
                Assert.Equal(scanned.Count(filter, now).Total, indexed.Count(filter, now).Total);
            }
        }

        Assert.True(scanned.Query(new DirectoryQuery { Filter = filters[0], Take = 500 }, Now).Total > 10);
    }

    private SessionSummary Summary(
        string userId,
        string ip,
        string browser = "Chrome",
        string os = "Linux",
        string device = "desktop",
        string country = "FR",
        long? activeAt = null,
        string clientId = "web",
        bool impersonated = false)
    {
        var created = Now - TimeSpan.TicksPerDay + (_sequence++ * TimeSpan.TicksPerSecond);
        return new SessionSummary
        {
            SessionId = System.Ulid.NewUlid(new DateTimeOffset(created, TimeSpan.Zero)).ToString(),
            UserId = userId,
            CreatedAt = created,
            ActiveAt = activeAt ?? created,
            ExpiresAt = Later,
            IdleExpiresAt = Later,
            AuthMethod = _sequence % 2 == 0 ? "sso" : "password",
            ClientIds = [clientId],
            Ip = ip,
            CountryCode = country,
            Browser = browser,
            Os = os,
            DeviceType = device,
            Impersonated = impersonated,
        };
    }
}
