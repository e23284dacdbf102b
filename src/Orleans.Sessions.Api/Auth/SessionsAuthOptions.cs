namespace Orleans.Sessions.Api.Auth;

/// <summary>The <c>Sessions:Auth</c> section.</summary>
public sealed class SessionsAuthOptions
{
    public const string SectionName = "Sessions:Auth";

    /// <summary>A secret that acts as a key named <c>bootstrap</c> with every role on every tenant.</summary>
    public string? BootstrapKey { get; set; }

    /// <summary>
    /// Whether requests without any credential are served. On until API keys with roles land; a request
    /// that carries a credential that is not valid is refused either way.
    /// </summary>
    public bool AllowAnonymous { get; set; } = true;
}
