namespace Orleans.Sessions;

/// <summary>
/// The clock of the sessions logic: a <see cref="TimeProvider"/> registered under <see cref="Key"/>, so
/// tests can move session time without also moving the clock Orleans itself runs on.
/// </summary>
public static class SessionsClock
{
    public const string Key = "sessions";
}
