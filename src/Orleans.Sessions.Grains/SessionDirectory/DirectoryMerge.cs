using System.Collections.Immutable;

namespace Orleans.Sessions.SessionDirectory;

/// <summary>How the shards' answers become one: a k-way merge of sorted slices, and sums of counts.</summary>
public static class DirectoryMerge
{
    /// <summary>The first <paramref name="take"/> items of all <paramref name="slices"/>, each already in the query's order.</summary>
    public static List<DirectoryItem> First(IReadOnlyList<DirectorySlice> slices, DirectorySort sort, bool descending, int take)
    {
        var order = Comparer<DirectoryItem>.Create((a, b) => DirectoryOrder.Compare(sort, descending, a, b));
        var heads = new PriorityQueue<(int Slice, int Index), DirectoryItem>(order);
        for (var i = 0; i < slices.Count; i++)
        {
            if (!slices[i].Items.IsEmpty)
            {
                heads.Enqueue((i, 0), slices[i].Items[0]);
            }
        }

        var merged = new List<DirectoryItem>(Math.Min(take, 1024));
        while (merged.Count < take && heads.TryDequeue(out var head, out var item))
        {
            merged.Add(item);
            var items = slices[head.Slice].Items;
            if (head.Index + 1 < items.Length)
            {
                heads.Enqueue((head.Slice, head.Index + 1), items[head.Index + 1]);
            }
        }

        return merged;
    }

    /// <summary>The per-key sums of several breakdowns (by country, by device type).</summary>
    public static ImmutableDictionary<string, int> Sum(IEnumerable<ImmutableDictionary<string, int>> parts)
    {
        var sum = ImmutableDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            foreach (var (key, count) in part)
            {
                sum[key] = sum.GetValueOrDefault(key) + count;
            }
        }

        return sum.ToImmutable();
    }
}
