namespace Orleans.Sessions.Api.Auth;

/// <summary>The <c>Sessions:Auth</c> section (docs/security.md).</summary>
public sealed class SessionsAuthOptions
{
    public const string SectionName = "Sessions:Auth";

    /// <summary>A secret that acts as a key named <c>bootstrap</c> with every role on every tenant.</summary>
    public string? BootstrapKey { get; set; }

    /// <summary>The configured API keys.</summary>
    public List<ApiKeyOptions> Keys { get; set; } = [];

    /// <summary>
    /// How long a gateway may reuse a successful check of an end-user session token before asking the user
    /// grain again: a revoked token stops working within this time. At most one second.
    /// </summary>
    public TimeSpan SessionTokenCacheDuration { get; set; } = TimeSpan.FromMilliseconds(500);
}

/// <summary>One configured API key, in the shape docs/security.md ("API keys") documents.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>The key's name: what audit records show as <c>by</c>, and Rocket.Chat's <c>X-User-Id</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>The tenant the key works on, or <c>*</c> for every tenant.</summary>
    public string Tenant { get; set; } = "";

    /// <summary><c>sha256:</c> and the hex of the SHA-256 of the secret's UTF-8 bytes.</summary>
    public string SecretHash { get; set; } = "";

    public List<string> Roles { get; set; } = [];

    /// <summary>Empty for every population; otherwise the key sees and acts only on sessions of these populations.</summary>
    public List<string> Populations { get; set; } = [];

    /// <summary>A base32 RFC 6238 secret; when set, list-all needs a current code besides the key.</summary>
    public string? TotpSecret { get; set; }
}
