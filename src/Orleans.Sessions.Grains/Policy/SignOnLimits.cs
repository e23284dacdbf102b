namespace Orleans.Sessions.Policy;

/// <summary>
/// What bounds one sign-on: the tenant policy where it sets something (its client entry first), configuration where it
/// does not (docs/policy.md).
/// </summary>
internal readonly record struct SignOnLimits(
    TimeSpan ExpiresIn,
    TimeSpan IdleTimeout,
    int RingSize,
    ActiveSessionLimit? PerUser,
    ActiveSessionLimit? PerClient)
{
    public static SignOnLimits Of(SessionsOptions options, TenantPolicy policy, string? clientId)
    {
        var client = policy.ForClient(clientId);
        return new SignOnLimits(
            client?.ExpiresIn ?? policy.ExpiresIn ?? options.DefaultExpiresIn,
            client?.IdleTimeout ?? policy.IdleTimeout ?? options.DefaultIdleTimeout,
            // A policy set under a larger configured maximum does not outgrow a smaller one configured since.
            Math.Min(policy.MaxSessionsPerUser ?? options.MaxSessionsPerUser, options.MaxSessionsPerUser),
            policy.ActiveSessionLimit ?? options.ActiveSessionLimit,
            client?.ActiveSessionLimit);
    }
}
