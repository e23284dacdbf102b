namespace Orleans.Sessions.SessionDirectory;

/// <summary>
/// The total order of each list-all sort — the sort key, then the session id — shared by the shards that
/// produce slices and the directory grain that merges them, so keyset positions mean the same on both sides.
/// </summary>
public static class DirectoryOrder
{
    /// <summary>Compares two items in ascending order of <paramref name="sort"/>.</summary>
    public static int Compare(DirectorySort sort, SessionSummary a, string? aUserName, SessionSummary b, string? bUserName)
    {
        var cmp = sort switch
        {
            DirectorySort.ActiveAt => a.ActiveAt.CompareTo(b.ActiveAt),
            DirectorySort.ExpiresAt => a.ExpiresAt.CompareTo(b.ExpiresAt),
            DirectorySort.UserName => string.Compare(aUserName ?? a.UserId, bUserName ?? b.UserId, StringComparison.OrdinalIgnoreCase),
            DirectorySort.Browser => string.Compare(a.Browser, b.Browser, StringComparison.OrdinalIgnoreCase),
            DirectorySort.Os => string.Compare(a.Os, b.Os, StringComparison.OrdinalIgnoreCase),
            _ => 0,
        };
        return cmp != 0 ? cmp : string.CompareOrdinal(a.SessionId, b.SessionId);
    }

    /// <summary>Compares two items in the order a query asks for.</summary>
    public static int Compare(DirectorySort sort, bool descending, DirectoryItem a, DirectoryItem b)
    {
        var cmp = Compare(sort, a.Session, a.UserName, b.Session, b.UserName);
        return descending ? -cmp : cmp;
    }

    /// <summary>The keyset position of an item under a sort.</summary>
    public static DirectoryPosition PositionOf(DirectorySort sort, DirectoryItem item) => sort switch
    {
        DirectorySort.ActiveAt => new DirectoryPosition(item.Session.ActiveAt, null, item.Session.SessionId),
        DirectorySort.ExpiresAt => new DirectoryPosition(item.Session.ExpiresAt, null, item.Session.SessionId),
        DirectorySort.UserName => new DirectoryPosition(0, item.UserName ?? item.Session.UserId, item.Session.SessionId),
        DirectorySort.Browser => new DirectoryPosition(0, item.Session.Browser, item.Session.SessionId),
        DirectorySort.Os => new DirectoryPosition(0, item.Session.Os, item.Session.SessionId),
        _ => new DirectoryPosition(item.Session.CreatedAt, null, item.Session.SessionId),
    };

    /// <summary>Whether an item comes strictly after a position in the query's order.</summary>
    public static bool IsAfter(DirectorySort sort, bool descending, SessionSummary session, string? userName, DirectoryPosition position)
    {
        var cmp = sort switch
        {
            DirectorySort.ActiveAt => session.ActiveAt.CompareTo(position.Number),
            DirectorySort.ExpiresAt => session.ExpiresAt.CompareTo(position.Number),
            DirectorySort.UserName => string.Compare(userName ?? session.UserId, position.Text, StringComparison.OrdinalIgnoreCase),
            DirectorySort.Browser => string.Compare(session.Browser, position.Text, StringComparison.OrdinalIgnoreCase),
            DirectorySort.Os => string.Compare(session.Os, position.Text, StringComparison.OrdinalIgnoreCase),
            _ => 0,
        };
        if (cmp == 0)
        {
            cmp = string.CompareOrdinal(session.SessionId, position.SessionId);
        }

        return descending ? cmp < 0 : cmp > 0;
    }
}
