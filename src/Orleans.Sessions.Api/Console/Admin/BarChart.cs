using System.Globalization;

namespace Orleans.Sessions.Api.Console.Admin;

/// <summary>
/// A horizontal bar chart of counts, laid out on the server for an inline SVG (docs/console.md, "Counts"): the largest
/// <see cref="MaxBars"/> bars, biggest first, the rest summed in one "Others" bar. Inline SVG needs no script and no
/// asset, takes its colours from the stylesheet, and reads as text to a screen reader (its description lists every
/// count) — a chart library would need script, which the console's policy does not allow.
/// </summary>
public sealed record BarChart(string Id, string Title, IReadOnlyList<BarChartRow> Rows, string EmptyText = "No sessions.")
{
    public const int MaxBars = 12;
    public const int Width = 640;
    public const int LabelWidth = 180;
    public const int BarSpace = 380;
    public const int RowHeight = 30;

    public int Height => Rows.Count * RowHeight;

    public string ViewBox => string.Create(CultureInfo.InvariantCulture, $"0 0 {Width} {Math.Max(Height, 1)}");

    /// <summary>What the chart shows, as one sentence of text.</summary>
    public string Description => Rows.Count == 0 ? EmptyText : string.Join(", ", Rows.Select(r => $"{r.Label}: {r.Value:N0}")) + ".";

    public static BarChart Of(string id, string title, IReadOnlyDictionary<string, int> counts, Func<string, string>? label = null, string emptyText = "No sessions.")
    {
        var ordered = counts.Where(c => c.Value > 0).OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).ToList();
        var shown = ordered.Take(ordered.Count > MaxBars ? MaxBars - 1 : MaxBars).Select(c => (Label: (label ?? (k => k))(c.Key), c.Value)).ToList();
        if (ordered.Count > shown.Count)
        {
            var rest = ordered.Skip(shown.Count).ToList();
            shown.Add(($"{rest.Count} others", rest.Sum(c => c.Value)));
        }

        var largest = shown.Count == 0 ? 1 : shown.Max(s => s.Value);
        return new BarChart(id, title, [.. shown.Select((s, i) => new BarChartRow(s.Label, s.Value, Math.Max(2.0, BarSpace * (double)s.Value / largest), i * RowHeight))], emptyText);
    }
}

/// <summary>One bar: its label, its count, and where it goes (SVG user units, written invariantly).</summary>
public sealed record BarChartRow(string Label, int Value, double BarWidth, int Top)
{
    public string BarWidthText => BarWidth.ToString("0.#", CultureInfo.InvariantCulture);

    public string ValueX => (BarChart.LabelWidth + BarWidth + 8).ToString("0.#", CultureInfo.InvariantCulture);

    public int BarY => Top + 5;

    public int TextY => Top + 20;
}
