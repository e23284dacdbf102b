using System.Net;
using System.Net.Http.Headers;

namespace Orleans.Sessions.Api.Tests;

/// <summary>The credentials the user routes accept and refuse.</summary>
[Collection(ApiCollection.Name)]
public sealed class UserSessionsCredentialTests(SessionsApiFactory factory)
{
    private readonly ApiClient _api = new(factory.CreateClient());

    [Theory]
    [InlineData("Bearer wrong-key")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer ")]
    public async Task A_credential_that_is_not_valid_is_401_and_changes_nothing(string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _api.Sessions) { Content = System.Net.Http.Json.JsonContent.Create(ApiClient.SignOnBody()) };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await _api.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Empty(await _api.ListAllAsync());
    }

    [Fact]
    public async Task The_bootstrap_key_is_accepted()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _api.Sessions);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SessionsApiFactory.BootstrapKey);

        var (status, _) = await _api.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, status);
    }
}
