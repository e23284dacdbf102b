using System.Collections.Immutable;
using System.Net;
using System.Text.RegularExpressions;

namespace Orleans.Sessions.SessionDirectory;

/// <summary>
/// The in-memory index of one directory shard: users and their active session summaries, an ordered set of
/// session ids (ULIDs, so creation order: the default <c>loginAt</c> sort pages without sorting anything),
/// a queue of expiry times the index applies itself, and the sessions of each value of the metadata keys named by
/// <c>Sessions:DirectoryIndexedMetadataKeys</c> (a query filtering by one of them looks at those sessions only; other
/// metadata filters scan). Pure logic over explicit time: tested without a cluster.
/// </summary>
internal sealed class DirectoryIndex(IEnumerable<string>? indexedMetadataKeys = null)
{
    private readonly Dictionary<string, UserEntry> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Indexed> _sessions = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _byId = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, long> _expiries = new();

    // The one live expiry-queue entry of each session; queue entries that differ from it are stale.
    private readonly Dictionary<string, long> _queuedExpiry = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);

    private readonly string[] _indexedKeys = [.. (indexedMetadataKeys ?? []).Distinct(StringComparer.Ordinal)];

    // The sessions of each (key, value text) of the indexed metadata keys, by id.
    private readonly Dictionary<(string Key, string Value), Dictionary<string, Indexed>> _byMetadata = new();

    // The sessions with each risk signal, and (AnyRisk) those with any: few, so risk filters look only at them.
    private readonly Dictionary<string, Dictionary<string, Indexed>> _byRisk = new(StringComparer.Ordinal);
    private const string AnyRisk = "*";

    /// <summary>The revision of the last update applied for a user; 0 for a user the index does not know.</summary>
    public long RevisionOf(string userId) => _users.TryGetValue(userId, out var entry) ? entry.Revision : 0;

    /// <summary>Entries in the expiry queue, live and stale (bounded by the sessions it has seen recently).</summary>
    public int QueuedExpiries => _expiries.Count;

    /// <summary>The sessions indexed: active ones, and expired ones until the next purge.</summary>
    public int SessionCount => _sessions.Count;

    /// <summary>Applies a user's update unless an update with a later revision was applied already.</summary>
    /// <returns>Whether the index changed.</returns>
    public bool Apply(DirectoryUserUpdate update)
    {
        if (_users.TryGetValue(update.UserId, out var existing))
        {
            if (update.Revision <= existing.Revision)
            {
                return false;
            }

            foreach (var session in existing.Sessions)
            {
                if (!update.ActiveSessions.Any(s => s.SessionId == session.SessionId) && _sessions.Remove(session.SessionId, out var removed))
                {
                    _byId.Remove(session.SessionId);
                    _queuedExpiry.Remove(session.SessionId);
                    IndexPostings(removed, add: false);
                }
            }
        }
        else if (update.ActiveSessions.IsEmpty)
        {
            // Nothing to index and nothing to guard against: a user without sessions takes no memory.
            return false;
        }

        if (update.ActiveSessions.IsEmpty)
        {
            // Keep the revision so a late, older update cannot bring ended sessions back.
            if (existing is not null)
            {
                existing.Revision = update.Revision;
                existing.Sessions = [];
            }
            else
            {
                _users[update.UserId] = new UserEntry { Revision = update.Revision, Sessions = [] };
            }

            return true;
        }

        var entry = existing ?? new UserEntry { Sessions = [] };
        entry.Revision = update.Revision;
        entry.UserName = update.UserName;
        entry.DisplayName = update.DisplayName;
        var sessions = new SessionSummary[update.ActiveSessions.Length];
        for (var i = 0; i < sessions.Length; i++)
        {
            var summary = Compact(update.ActiveSessions[i]);
            sessions[i] = summary;
            if (_sessions.TryGetValue(summary.SessionId, out var previous))
            {
                IndexPostings(previous, add: false); // Its metadata may have changed.
            }

            var indexed = new Indexed(summary, entry);
            IndexPostings(indexed, add: true);
            _sessions[summary.SessionId] = indexed;
            _byId.Add(summary.SessionId);

            // Expiry only moves later with activity, and Purge re-queues what is still alive: a new entry is
            // needed only for a new session or an expiry brought forward.
            var expiry = summary.EffectiveExpiry;
            if (!_queuedExpiry.TryGetValue(summary.SessionId, out var queued) || expiry < queued)
            {
                _queuedExpiry[summary.SessionId] = expiry;
                _expiries.Enqueue(summary.SessionId, expiry);
            }
        }

        entry.Sessions = sessions;
        _users[update.UserId] = entry;
        return true;
    }

    /// <summary>Drops sessions whose expiry has passed (the shard applies expiry itself: docs/sessions.md, "The directory's view").</summary>
    /// <param name="now">The clock, in ticks.</param>
    /// <param name="expiredUsers">Receives the user of each session purged, when given.</param>
    public int Purge(long now, ICollection<string>? expiredUsers = null)
    {
        var purged = 0;
        while (_expiries.TryPeek(out var id, out var expiry) && expiry <= now)
        {
            _expiries.Dequeue();
            if (!_queuedExpiry.TryGetValue(id, out var queued) || queued != expiry || !_sessions.TryGetValue(id, out var indexed))
            {
                continue;
            }

            var current = indexed.Session.EffectiveExpiry;
            if (current > now)
            {
                // Activity moved it on since it was queued.
                _queuedExpiry[id] = current;
                _expiries.Enqueue(id, current);
                continue;
            }

            _queuedExpiry.Remove(id);
            _sessions.Remove(id);
            _byId.Remove(id);
            IndexPostings(indexed, add: false);
            indexed.User.Sessions = [.. indexed.User.Sessions.Where(s => s.SessionId != id)];
            expiredUsers?.Add(indexed.Session.UserId);
            purged++;
        }

        return purged;
    }

    public DirectorySlice Query(DirectoryQuery query, long now)
    {
        using var matcher = new Matcher(query.Filter, now);
        return query.Sort == DirectorySort.LoginAt ? QueryByLogin(query, matcher) : QueryBySortKey(query, matcher);
    }

    public DirectoryCounts Count(DirectoryFilter filter, long now)
    {
        using var matcher = new Matcher(filter, now);
        var total = 0;
        var byCountry = new Dictionary<string, int>(StringComparer.Ordinal);
        var byDevice = new Dictionary<string, int>(StringComparer.Ordinal);
        var byRisk = new Dictionary<string, int>(StringComparer.Ordinal);
        var byAuthMethod = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var indexed in Candidates(filter))
        {
            if (!matcher.Matches(indexed))
            {
                continue;
            }

            total++;
            var country = indexed.Session.CountryCode ?? "unknown";
            byCountry[country] = byCountry.GetValueOrDefault(country) + 1;
            byDevice[indexed.Session.DeviceType] = byDevice.GetValueOrDefault(indexed.Session.DeviceType) + 1;
            byAuthMethod[indexed.Session.AuthMethod] = byAuthMethod.GetValueOrDefault(indexed.Session.AuthMethod) + 1;
            foreach (var signal in indexed.Session.RiskSignals)
            {
                byRisk[signal] = byRisk.GetValueOrDefault(signal) + 1;
            }
        }

        return new DirectoryCounts(total, byCountry.ToImmutableDictionary(), byDevice.ToImmutableDictionary())
        {
            ByRisk = byRisk.ToImmutableDictionary(),
            ByAuthMethod = byAuthMethod.ToImmutableDictionary(),
        };
    }

    private DirectorySlice QueryByLogin(DirectoryQuery query, Matcher matcher)
    {
        if (!matcher.IsEmpty || HasExpired(matcher.Now))
        {
            // A filter must look at every session to count them: one pass over the table, keeping the best
            // page in a small heap, is cheaper than walking the ordered set.
            return QueryBySortKey(query, matcher);
        }

        // Unfiltered, the count is the table's size and the page is the first ids of the ordered set.
        IEnumerable<string> ids = _byId;
        if (query.After is { } after && _byId.Count > 0)
        {
            var min = _byId.Min!;
            var max = _byId.Max!;
            ids = query.Descending
                ? (string.CompareOrdinal(after.SessionId, min) <= 0 ? [] : _byId.GetViewBetween(min, after.SessionId))
                : (string.CompareOrdinal(after.SessionId, max) >= 0 ? [] : _byId.GetViewBetween(after.SessionId, max));
        }

        if (query.Descending)
        {
            ids = ids is SortedSet<string> set ? set.Reverse() : ids.Reverse();
        }

        var items = ImmutableArray.CreateBuilder<DirectoryItem>(Math.Min(query.Take, 64));
        foreach (var id in ids)
        {
            if (items.Count >= query.Take)
            {
                break;
            }

            if (id != query.After?.SessionId)
            {
                items.Add(_sessions[id].ToItem());
            }
        }

        return new DirectorySlice(items.ToImmutable(), _sessions.Count);
    }

    private DirectorySlice QueryBySortKey(DirectoryQuery query, Matcher matcher)
    {
        // The worst of the best `Take` so far sits on top of the heap, ready to be replaced.
        var order = Comparer<DirectoryItem>.Create((x, y) => -DirectoryOrder.Compare(query.Sort, query.Descending, x, y));
        var best = new PriorityQueue<DirectoryItem, DirectoryItem>(order);
        var total = 0;
        foreach (var indexed in Candidates(query.Filter))
        {
            if (!matcher.Matches(indexed))
            {
                continue;
            }

            total++;
            if (query.After is { } after && !DirectoryOrder.IsAfter(query.Sort, query.Descending, indexed.Session, indexed.User.UserName, after))
            {
                continue;
            }

            if (best.Count < query.Take)
            {
                var item = indexed.ToItem();
                best.Enqueue(item, item);
            }
            else if (query.Take > 0 && order.Compare(best.Peek(), indexed.ToItem()) < 0)
            {
                var item = indexed.ToItem();
                best.EnqueueDequeue(item, item);
            }
        }

        var items = new DirectoryItem[best.Count];
        for (var i = items.Length - 1; i >= 0; i--)
        {
            items[i] = best.Dequeue();
        }

        return new DirectorySlice([.. items], total);
    }

    /// <summary>
    /// The sessions a filter can match: those of the smallest posting it names — a risk signal, any risk (a minimum
    /// score), an indexed metadata key's value — or every session. The matcher still checks each against the whole filter.
    /// </summary>
    private IEnumerable<Indexed> Candidates(DirectoryFilter filter)
    {
        Dictionary<string, Indexed>? smallest = null;
        if (filter.RiskSignal is not null || filter.MinRiskScore > 0)
        {
            smallest = _byRisk.GetValueOrDefault(filter.RiskSignal ?? AnyRisk);
            if (smallest is null)
            {
                return [];
            }
        }

        if (filter.Metadata is { } wanted)
        {
            foreach (var key in _indexedKeys)
            {
                if (wanted.TryGetValue(key, out var text))
                {
                    var posting = _byMetadata.GetValueOrDefault((key, text));
                    if (posting is null)
                    {
                        return [];
                    }

                    if (smallest is null || posting.Count < smallest.Count)
                    {
                        smallest = posting;
                    }
                }
            }
        }

        return smallest is null ? _sessions.Values : smallest.Values;
    }

    /// <summary>Adds a session to (or removes it from) the postings of its risk signals and of its indexed metadata values.</summary>
    private void IndexPostings(Indexed indexed, bool add)
    {
        var session = indexed.Session;
        if (!session.RiskSignals.IsDefaultOrEmpty)
        {
            Post(_byRisk, AnyRisk, indexed, add);
            foreach (var signal in session.RiskSignals)
            {
                Post(_byRisk, signal, indexed, add);
            }
        }

        if (_indexedKeys.Length == 0 || session.Metadata is not { } metadata)
        {
            return;
        }

        foreach (var key in _indexedKeys)
        {
            if (!metadata.TryGetValue(key, out var value))
            {
                continue;
            }

            Post(_byMetadata, (key, value.Text), indexed, add);
        }
    }

    private static void Post<TKey>(Dictionary<TKey, Dictionary<string, Indexed>> postings, TKey posting, Indexed indexed, bool add)
        where TKey : notnull
    {
        var id = indexed.Session.SessionId;
        if (add)
        {
            if (!postings.TryGetValue(posting, out var sessions))
            {
                postings[posting] = sessions = new Dictionary<string, Indexed>(StringComparer.Ordinal);
            }

            sessions[id] = indexed;
        }
        else if (postings.TryGetValue(posting, out var sessions) && sessions.Remove(id) && sessions.Count == 0)
        {
            postings.Remove(posting);
        }
    }

    /// <summary>Whether a queued expiry is due at <paramref name="now"/>: a purge has something to look at.</summary>
    public bool HasExpired(long now) => _expiries.TryPeek(out _, out var next) && next <= now;

    /// <summary>Shares the instances of repeated strings (browsers, OS names, countries...) across sessions.</summary>
    private SessionSummary Compact(SessionSummary s) => s with
    {
        AuthMethod = Shared(s.AuthMethod)!,
        Browser = Shared(s.Browser)!,
        BrowserVersion = Shared(s.BrowserVersion),
        Os = Shared(s.Os)!,
        OsVersion = Shared(s.OsVersion),
        DeviceType = Shared(s.DeviceType)!,
        DeviceModel = Shared(s.DeviceModel),
        CountryCode = Shared(s.CountryCode),
        City = Shared(s.City),
        PopulationId = Shared(s.PopulationId),
        OrganizationId = Shared(s.OrganizationId),
        Host = Shared(s.Host),
        ClientIds = s.ClientIds.IsDefaultOrEmpty ? [] : [.. s.ClientIds.Select(c => Shared(c)!)],
        RiskSignals = s.RiskSignals.IsDefaultOrEmpty ? [] : s.RiskSignals,
    };

    private string? Shared(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (_strings.TryGetValue(value, out var shared))
        {
            return shared;
        }

        // Bounded: high-cardinality values beyond this are simply not shared.
        if (_strings.Count < 100_000)
        {
            _strings[value] = value;
        }

        return value;
    }

    private sealed class UserEntry
    {
        public long Revision { get; set; }

        /// <summary>The matcher whose pattern result <see cref="PatternMatched"/> holds (a per-query cache).</summary>
        public object? PatternStamp { get; set; }

        public bool PatternMatched { get; set; }

        public string? UserName { get; set; }

        public string? DisplayName { get; set; }

        public required SessionSummary[] Sessions { get; set; }
    }

    private readonly record struct Indexed(SessionSummary Session, UserEntry User)
    {
        public DirectoryItem ToItem() => new(Session, User.UserName, User.DisplayName);
    }

    /// <summary>One query's filter, with the regular expression's answers cached per user and per repeated value.</summary>
    private sealed class Matcher : IDisposable
    {
        private readonly DirectoryFilter _filter;
        private readonly RegexLease? _lease;
        private readonly Regex? _regex;
        private readonly IPNetwork? _network;
        private readonly Dictionary<string, bool>? _valueMatches;

        public Matcher(DirectoryFilter filter, long now)
        {
            _filter = filter;
            Now = now;
            if (filter.Pattern is { } pattern)
            {
                _lease = DirectoryPatterns.Rent(pattern);
                _regex = _lease.Value.Regex;
                // Browsers, systems and device types are shared string instances: cache their answers by reference.
                _valueMatches = new Dictionary<string, bool>(ReferenceEqualityComparer.Instance);
            }

            if (filter.Ip is { } ip)
            {
                _network = new IPNetwork(IPAddress.Parse(ip.Network), ip.PrefixLength);
            }

            // A scope of every population filters nothing: such a query still takes the unfiltered fast path.
            IsEmpty = (filter.Scope is { IsAll: true } ? filter with { Scope = null } : filter) == new DirectoryFilter();
        }

        public long Now { get; }

        public void Dispose() => _lease?.Dispose();

        public bool IsEmpty { get; }

        public bool Matches(Indexed indexed)
        {
            var s = indexed.Session;
            var f = _filter;
            if (s.EffectiveExpiry <= Now
                || (f.UserId is not null && s.UserId != f.UserId)
                || (f.SessionId is not null && s.SessionId != f.SessionId)
                || (f.ClientId is not null && !s.ClientIds.Contains(f.ClientId))
                || (f.AuthMethod is not null && !string.Equals(s.AuthMethod, f.AuthMethod, StringComparison.OrdinalIgnoreCase))
                || (f.CountryCode is not null && !string.Equals(s.CountryCode, f.CountryCode, StringComparison.OrdinalIgnoreCase))
                || (f.DeviceType is not null && !string.Equals(s.DeviceType, f.DeviceType, StringComparison.OrdinalIgnoreCase))
                || (f.ActiveSince is { } since && s.ActiveAt < since)
                || (f.ActiveBefore is { } before && s.ActiveAt >= before)
                || (f.CreatedBefore is { } cutOff && s.CreatedAt >= cutOff)
                || (f.Impersonated is { } impersonated && s.Impersonated != impersonated)
                || (f.Scope is { IsAll: false } scope && !scope.Allows(s.PopulationId))
                || (f.Metadata is { } wanted && !HasMetadata(s, wanted))
                || (f.RiskSignal is { } signal && !s.RiskSignals.Contains(signal))
                || (f.MinRiskScore is { } minScore && s.RiskScore < minScore)
                || (_network is { } network && !(IPAddress.TryParse(s.Ip, out var address) && network.Contains(address))))
            {
                return false;
            }

            return _regex is null || MatchesPattern(indexed);
        }

        /// <summary>Every wanted key, with its value's text.</summary>
        private static bool HasMetadata(SessionSummary session, ImmutableSortedDictionary<string, string> wanted)
        {
            if (session.Metadata is not { } metadata)
            {
                return false;
            }

            foreach (var (key, text) in wanted)
            {
                if (!metadata.TryGetValue(key, out var value) || !string.Equals(value.Text, text, StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }

        private bool MatchesPattern(Indexed indexed)
        {
            // Queries run one at a time on a shard, so the user entry can hold this query's answer for its user.
            var user = indexed.User;
            if (!ReferenceEquals(user.PatternStamp, this))
            {
                user.PatternMatched = (user.UserName is { } name && _regex!.IsMatch(name))
                    || (user.DisplayName is { } display && _regex!.IsMatch(display))
                    || _regex!.IsMatch(indexed.Session.UserId);
                user.PatternStamp = this;
            }

            var s = indexed.Session;
            return user.PatternMatched || Value(s.Browser) || Value(s.Os) || Value(s.DeviceType)
                || (s.DeviceModel is { } model && Value(model)) || _regex!.IsMatch(s.Ip);
        }

        private bool Value(string value)
        {
            if (!_valueMatches!.TryGetValue(value, out var match))
            {
                match = _regex!.IsMatch(value);
                _valueMatches[value] = match;
            }

            return match;
        }
    }
}
