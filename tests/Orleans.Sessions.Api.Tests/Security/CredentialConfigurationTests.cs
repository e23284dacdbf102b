using Microsoft.Extensions.Options;

namespace Orleans.Sessions.Api.Tests.Security;

/// <summary>A host in Production without any credential.</summary>
public sealed class NoCredentialsProductionFactory : SessionsApiFactory
{
    protected override bool WithCredentials => false;

    protected override string EnvironmentName => "Production";
}

/// <summary>A host whose keys are written wrong in every way the validator knows.</summary>
public sealed class InvalidKeysFactory : SessionsApiFactory
{
    protected override bool WithCredentials => false;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Sessions:Auth:Keys:0:Name"] = "bootstrap",
        ["Sessions:Auth:Keys:0:Tenant"] = "acme",
        ["Sessions:Auth:Keys:0:SecretHash"] = "md5:abc",
        ["Sessions:Auth:Keys:0:Roles:0"] = "sessions:everything",
        ["Sessions:Auth:Keys:1:Name"] = "k-read",
        ["Sessions:Auth:Keys:1:Tenant"] = "bad tenant",
        ["Sessions:Auth:Keys:1:SecretHash"] = "sha256:" + new string('0', 64),
        ["Sessions:Auth:Keys:1:Roles:0"] = "sessions:read",
        ["Sessions:Auth:Keys:1:TotpSecret"] = "not base32!",
        ["Sessions:Auth:Keys:2:Name"] = "k-read",
        ["Sessions:Auth:Keys:2:Tenant"] = "*",
        ["Sessions:Auth:Keys:2:SecretHash"] = "sha256:" + new string('1', 64),
        ["Sessions:Auth:Keys:2:Roles:0"] = "sessions:read",
        ["Sessions:Auth:Keys:2:Populations:0"] = "bad population!",
        ["Sessions:Auth:BootstrapKey"] = "short",
    };
}

/// <summary>The service refuses to start with credentials it could not use, saying what to set.</summary>
public sealed class CredentialConfigurationTests
{
    [Fact]
    public async Task Outside_Development_a_host_without_credentials_refuses_to_start_and_says_what_to_set()
    {
        await using var factory = new NoCredentialsProductionFactory();

        var error = Assert.Throws<OptionsValidationException>(() => factory.Services);

        Assert.Contains("Sessions:Auth:BootstrapKey", error.Message, StringComparison.Ordinal);
        Assert.Contains("Sessions:Auth:Keys", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_that_could_not_work_as_written_stop_the_start_with_every_reason()
    {
        await using var factory = new InvalidKeysFactory();

        var error = Assert.Throws<OptionsValidationException>(() => factory.Services);

        foreach (var expected in new[]
        {
            "BootstrapKey must be at least 16", "Keys:0:Name 'bootstrap' is reserved", "Keys:0:SecretHash", "unknown role 'sessions:everything'",
            "Keys:1:Tenant", "Keys:1:TotpSecret", "Keys:2:Name 'k-read' is used by another key", "Keys:2:Populations",
        })
        {
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }
    }
}
