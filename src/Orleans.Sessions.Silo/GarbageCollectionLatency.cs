using System.Runtime;

namespace Orleans.Sessions.Silo;

/// <summary>
/// The silo process's GC latency mode (docs/operations.md, "Memory"): <c>Sessions:GarbageCollection:LatencyMode</c>,
/// one of <see cref="GCLatencyMode.Interactive"/> (the runtime's default with background collections) and
/// <see cref="GCLatencyMode.SustainedLowLatency"/>, which keeps full blocking collections away while memory allows.
/// Set once at start-up by the process's entry point; a host embedded in a test leaves its process alone.
/// </summary>
public static class GarbageCollectionLatency
{
    public const string Key = "Sessions:GarbageCollection:LatencyMode";

    public static void Apply(IConfiguration configuration)
    {
        var text = configuration[Key];
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        GCSettings.LatencyMode = Enum.TryParse<GCLatencyMode>(text, ignoreCase: true, out var mode) && mode is GCLatencyMode.Interactive or GCLatencyMode.SustainedLowLatency
            ? mode
            : throw new InvalidOperationException($"{Key} '{text}' is not supported; use 'Interactive' or 'SustainedLowLatency'.");
    }
}
