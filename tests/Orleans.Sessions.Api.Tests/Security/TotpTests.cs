using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Orleans.Sessions.Api.Tests.Security;

/// <summary>A key with a TOTP secret needs a current, unused RFC 6238 code for list-all (docs/security.md), on the service's fake clock.</summary>
public sealed class TotpTests(OwnClockApiFactory factory) : IClassFixture<OwnClockApiFactory>
{
    private static readonly byte[] RfcKey = Encoding.ASCII.GetBytes("12345678901234567890");

    private readonly HttpClient _http = factory.CreateAnonymousClient();

    [Theory]
    [InlineData(59L, "94287082")]
    [InlineData(1111111109L, "07081804")]
    [InlineData(1234567890L, "89005924")]
    [InlineData(20000000000L, "65353130")]
    public void The_tests_code_generator_matches_the_RFC_6238_vectors(long unixTime, string expected) =>
        Assert.Equal(expected, Rfc6238.Code(RfcKey, unixTime / 30, digits: 8));

    [Fact]
    public async Task List_all_needs_a_current_code_accepts_one_step_of_drift_and_never_the_same_step_twice()
    {
        // Start at the beginning of a fresh step, so that nothing above it was used by the other test of this class.
        factory.Clock.Advance(TimeSpan.FromSeconds(90 + 30 - (factory.Clock.GetUtcNow().ToUnixTimeSeconds() % 30)));
        var step = Rfc6238.StepOf(factory.Clock.GetUtcNow());

        await AssertRefusedAsync(null, "totp-required");
        Assert.Equal(HttpStatusCode.OK, await ListAllAsync(Rfc6238.Code(RfcKey, step - 1)));    // drifted one step behind
        Assert.Equal(HttpStatusCode.OK, await ListAllAsync(Rfc6238.Code(RfcKey, step)));        // current
        await AssertRefusedAsync(Rfc6238.Code(RfcKey, step), "totp-invalid");                   // replayed
        await AssertRefusedAsync(Rfc6238.Code(RfcKey, step - 1), "totp-invalid");               // older than one already used
        await AssertRefusedAsync(Rfc6238.Code(RfcKey, step + 2), "totp-invalid");               // two steps ahead
        await AssertRefusedAsync(Rfc6238.Code(RfcKey, step - 2), "totp-invalid");               // two steps behind
        await AssertRefusedAsync(WrongCode(step), "totp-invalid");                              // wrong
        await AssertRefusedAsync("12345a", "totp-invalid");                                     // not digits
        await AssertRefusedAsync("1234567", "totp-invalid");                                    // not six digits
        Assert.Equal(HttpStatusCode.OK, await ListAllAsync(Rfc6238.Code(RfcKey, step + 1)));   // drifted one step ahead
        await AssertRefusedAsync(Rfc6238.Code(RfcKey, step + 1), "totp-invalid");               // replayed

        factory.Clock.Advance(TimeSpan.FromSeconds(60));                                         // two steps later
        Assert.Equal(HttpStatusCode.OK, await ListAllAsync(Rfc6238.Code(RfcKey, step + 2)));
    }

    [Fact]
    public async Task A_refused_request_does_not_use_up_the_code()
    {
        factory.Clock.Advance(TimeSpan.FromSeconds(90 + 30 - (factory.Clock.GetUtcNow().ToUnixTimeSeconds() % 30)));
        var code = Rfc6238.Code(RfcKey, Rfc6238.StepOf(factory.Clock.GetUtcNow()));

        // The TOTP key has no right on another tenant: refused before its code is looked at.
        using (var request = Request($"/v1/tenants/{TestKeys.OtherTenant}/sessions", code))
        using (var refused = await _http.SendAsync(request, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, await ListAllAsync(code));
    }

    [Fact]
    public async Task Keys_without_a_TOTP_secret_need_no_code()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/tenants/{TestKeys.Tenant}/sessions");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestKeys.ReadAll.Secret);
        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static string WrongCode(long step)
    {
        var valid = new[] { step - 1, step, step + 1 }.Select(s => Rfc6238.Code(RfcKey, s)).ToHashSet();
        return Enumerable.Range(0, 1000).Select(i => i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).First(c => !valid.Contains(c));
    }

    private async Task<HttpStatusCode> ListAllAsync(string? code)
    {
        using var request = Request($"/v1/tenants/{TestKeys.Tenant}/sessions", code);
        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    private async Task AssertRefusedAsync(string? code, string problem)
    {
        using var request = Request($"/v1/tenants/{TestKeys.Tenant}/sessions", code);
        var (status, body) = await new ApiClient(_http).SendAsync(request);
        Assert.True(status == HttpStatusCode.Unauthorized, $"code {code ?? "(none)"}: {status} {body}");
        JsonAssert.IsProblem(body, problem);
    }

    private static HttpRequestMessage Request(string path, string? code)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestKeys.Totp.Secret);
        if (code is not null)
        {
            request.Headers.Add("X-TOTP", code);
        }

        return request;
    }
}
