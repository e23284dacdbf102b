namespace Orleans.Sessions.Storage;

/// <summary>Names shared by the grains and whichever storage provider a host configures.</summary>
public static class SessionsStorage
{
    /// <summary>The grain storage every sessions grain persists to.</summary>
    public const string Name = "sessions";
}
