namespace Orleans.Sessions;

/// <summary>
/// The service's own meter and activity source, which every part records on (grains, storage, HTTP) and the hosts
/// export (docs/operations.md, "Metrics"). Its tags never name a tenant, a user or a session.
/// </summary>
public static class SessionsMeter
{
    public const string Name = "Orleans.Sessions";
}
