namespace Orleans.Sessions.Auth;

/// <summary>
/// Remembers, for one API key (keyed by its name), the last TOTP time step whose code was accepted, so that a
/// code is accepted at most once across every gateway of the cluster (RFC 6238 §5.2).
/// </summary>
[Alias("sessions.ITotpReplayGuardGrain")]
public interface ITotpReplayGuardGrain : IGrainWithStringKey
{
    /// <summary>True, once, for a time step above every step accepted before; false for a replay.</summary>
    [Alias("TryUse")]
    Task<bool> TryUseAsync(long timeStep);
}
