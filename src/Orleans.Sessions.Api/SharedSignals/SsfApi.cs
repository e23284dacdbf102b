using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Orleans.Sessions.Api.Audit;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Api.Keys;
using Orleans.Sessions.Api.SessionDirectory;
using Orleans.Sessions.Api.Webhooks;
using Orleans.Sessions.Keys;
using Orleans.Sessions.SharedSignals;

namespace Orleans.Sessions.Api.SharedSignals;

/// <summary>
/// The Shared Signals transmitter of each tenant (docs/shared-signals.md): its metadata, public like its JWKS, and the
/// stream management API — streams, status, subjects, verification — role <c>sessions:admin</c>, each stream the
/// receiver's (the key's name, its <c>aud</c>) that made it. Members are named as the specification names them.
/// </summary>
public static class SsfApi
{
    /// <summary>Why an update or replacement that names another delivery method is refused.</summary>
    public const string KeepsItsMethod = "A stream keeps the delivery method it was created with";

    public static IEndpointRouteBuilder MapSsfApi(this IEndpointRouteBuilder app)
    {
        // RFC 8414's form for an issuer with a path (the well-known segment between host and path), and beside the issuer.
        foreach (var prefix in new[] { "/.well-known/ssf-configuration/v1/tenants/{tenant}", "/v1/tenants/{tenant}/.well-known/ssf-configuration" })
        {
            app.MapGroup(prefix)
                .WithTags("Shared Signals")
                .WithMetadata(CanonicalSurface.Instance)
                .AllowAnonymous()
                .WithInputValidation()
                .MapGet("/", ConfigurationAsync)
                .WithName(prefix.StartsWith("/.well-known", StringComparison.Ordinal) ? "GetSsfConfiguration" : "GetSsfConfigurationBesideIssuer")
                .WithSummary("The tenant's Shared Signals transmitter metadata (SSF 1.0 §7.1). No credential.");
        }

        var group = app.MapGroup("/v1/tenants/{tenant}/ssf")
            .WithTags("Shared Signals")
            .WithMetadata(CanonicalSurface.Instance)
            .RequireAuthorization(SessionsPolicies.Admin)
            .WithInputValidation()
            .WithAdminAudit();
        group.MapPost("/streams", CreateAsync).ProducesProblem(StatusCodes.Status409Conflict).WithName("CreateSsfStream").WithSummary("Create a stream of CAEP session-established and session-revoked SETs: pushed to the receiver's endpoint, or (without delivery) polled.");
        group.MapGet("/streams", ReadAsync).ProducesNotFound().AddOpenApiOperationTransformer(OneOrAllStreamsAsync).WithName("ReadSsfStreams").WithSummary("One of the caller's streams (stream_id), or all of them as an array.");
        group.MapPatch("/streams", UpdateAsync).ProducesNotFound().WithMetadata(new RequiredBodyFields("stream_id")).WithName("UpdateSsfStream").WithSummary("Change the members given. A stream keeps the delivery method it was created with.");
        group.MapPut("/streams", ReplaceAsync).ProducesNotFound().WithMetadata(new RequiredBodyFields("stream_id", "delivery")).WithName("ReplaceSsfStream").WithSummary("Replace every receiver-supplied member; one left out is cleared. A stream keeps the delivery method it was created with.");
        group.MapDelete("/streams", DeleteAsync).ProducesNotFound().WithName("DeleteSsfStream").WithSummary("Delete a stream: nothing more is delivered to it.");
        group.MapGet("/status", StatusAsync).ProducesNotFound().WithName("GetSsfStreamStatus").WithSummary("A stream's status: enabled, paused (events held) or disabled (events dropped).");
        group.MapPost("/status", SetStatusAsync).ProducesNotFound().WithName("UpdateSsfStreamStatus").WithSummary("Enable, pause or disable a stream.");
        group.MapPost("/subjects/add", AddSubjectAsync).ProducesNotFound().WithName("AddSsfSubject").WithSummary("Deliver a subject's events again (every subject's are delivered unless removed).");
        group.MapPost("/subjects/remove", RemoveSubjectAsync).ProducesNotFound().WithName("RemoveSsfSubject").WithSummary("Deliver no more events of a subject (a session, a user, or both).");
        group.MapPost("/streams/{stream_id}/poll", SsfPollApi.PollAsync).ProducesNotFound().WithMetadata(NotAudited.Instance).WithName("PollSsfStream")
            .WithSummary("Poll a poll stream (RFC 8936): acknowledge SETs, get the next ones; waits up to the long-poll timeout unless returnImmediately.");
        group.MapPost("/verify", VerifyAsync).ProducesNotFound().ProducesProblem(StatusCodes.Status429TooManyRequests).WithName("VerifySsfStream").WithSummary("Send the stream a verification SET echoing state (at most one per min_verification_interval).");
        return app;
    }

    public static Ok<SsfConfigurationResponse> ConfigurationAsync([AsParameters] TenantRoute route, HttpContext http) =>
        TypedResults.Ok(SsfConfigurationResponse.For(TenantIssuer.For(http, route.Tenant)));

    public static async Task<Results<Created<SsfStreamResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        [AsParameters] TenantRoute route, SsfStreamRequest request, Caller caller, IGrainFactory grains, IConfiguration configuration, HttpContext http)
    {
        var errors = new InputErrors();
        var spec = await request.ToSpecAsync(errors, creating: true, configuration.GetValue<bool>(WebhooksApi.AllowPrivateNetworksKey), http.RequestAborted);
        if (spec is null)
        {
            return ApiProblems.Validation(errors);
        }

        await grains.GetGrain<ISigningKeysGrain>(route.Tenant).EnsureAsync(); // The JWKS is ready before the first SET.
        return await grains.GetGrain<ISsfStreamsGrain>(route.Tenant).CreateAsync(caller.Name, TenantIssuer.For(http, route.Tenant), spec) is { } stream
            ? TypedResults.Created($"/v1/tenants/{route.Tenant}/ssf/streams?stream_id={stream.Id}", SsfStreamResponse.From(stream))
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"A tenant has at most {SsfStream.MaxPerTenant} streams.", type: ApiProblems.TypePrefix + "stream-limit");
    }

    public static async Task<Results<Ok<SsfStreamResponse>, Ok<SsfStreamResponse[]>, ValidationProblem, ProblemHttpResult>> ReadAsync(
        [AsParameters] TenantRoute route, [FromQuery(Name = "stream_id"), RegularExpression(WirePatterns.Id)] string? streamId, Caller caller, IGrainFactory grains)
    {
        var streams = grains.GetGrain<ISsfStreamsGrain>(route.Tenant);
        if (streamId is null)
        {
            return TypedResults.Ok((await streams.ListAsync(caller.Name)).Select(SsfStreamResponse.From).ToArray());
        }

        var errors = new InputErrors();
        SsfRules.StreamId(errors, streamId);
        if (!errors.IsEmpty)
        {
            return ApiProblems.Validation(errors);
        }

        return await streams.GetAsync(caller.Name, streamId) is { } stream ? TypedResults.Ok(SsfStreamResponse.From(stream)) : NotFound(streamId);
    }

    public static Task<Results<Ok<SsfStreamResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        [AsParameters] TenantRoute route, SsfStreamRequest request, Caller caller, IGrainFactory grains, IConfiguration configuration, HttpContext http) =>
        ChangeAsync(route, request, replace: false, caller, grains, configuration, http);

    public static Task<Results<Ok<SsfStreamResponse>, ValidationProblem, ProblemHttpResult>> ReplaceAsync(
        [AsParameters] TenantRoute route, SsfStreamRequest request, Caller caller, IGrainFactory grains, IConfiguration configuration, HttpContext http) =>
        ChangeAsync(route, request, replace: true, caller, grains, configuration, http);

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAsync(
        [AsParameters] TenantRoute route, [FromQuery(Name = "stream_id"), Required, RegularExpression(WirePatterns.Id)] string? streamId, Caller caller, IGrainFactory grains)
    {
        var errors = new InputErrors();
        SsfRules.StreamId(errors, streamId);
        if (!errors.IsEmpty)
        {
            return ApiProblems.Validation(errors);
        }

        return await grains.GetGrain<ISsfStreamsGrain>(route.Tenant).DeleteAsync(caller.Name, streamId!) ? TypedResults.NoContent() : NotFound(streamId!);
    }

    public static async Task<Results<Ok<SsfStatusResponse>, ValidationProblem, ProblemHttpResult>> StatusAsync(
        [AsParameters] TenantRoute route, [FromQuery(Name = "stream_id"), Required, RegularExpression(WirePatterns.Id)] string? streamId, Caller caller, IGrainFactory grains)
    {
        var errors = new InputErrors();
        SsfRules.StreamId(errors, streamId);
        if (!errors.IsEmpty)
        {
            return ApiProblems.Validation(errors);
        }

        return await grains.GetGrain<ISsfStreamsGrain>(route.Tenant).GetAsync(caller.Name, streamId!) is { } stream
            ? TypedResults.Ok(SsfStatusResponse.From(stream))
            : NotFound(streamId!);
    }

    public static async Task<Results<Ok<SsfStatusResponse>, ProblemHttpResult>> SetStatusAsync(
        [AsParameters] TenantRoute route, SsfStatusRequest request, Caller caller, IGrainFactory grains) =>
        await grains.GetGrain<ISsfStreamsGrain>(route.Tenant).SetStatusAsync(caller.Name, request.StreamId!, request.Parsed, request.Reason) is { } stream
            ? TypedResults.Ok(SsfStatusResponse.From(stream))
            : NotFound(request.StreamId!);

    public static async Task<Results<Ok, ProblemHttpResult>> AddSubjectAsync([AsParameters] TenantRoute route, SsfSubjectRequest request, Caller caller, IGrainFactory grains) =>
        await grains.GetGrain<ISsfStreamsGrain>(route.Tenant).SubjectAsync(caller.Name, request.StreamId!, request.Parsed!, add: true) is not null
            ? TypedResults.Ok()
            : NotFound(request.StreamId!);

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveSubjectAsync([AsParameters] TenantRoute route, SsfSubjectRequest request, Caller caller, IGrainFactory grains) =>
        await grains.GetGrain<ISsfStreamsGrain>(route.Tenant).SubjectAsync(caller.Name, request.StreamId!, request.Parsed!, add: false) is not null
            ? TypedResults.NoContent()
            : NotFound(request.StreamId!);

    public static async Task<Results<NoContent, ProblemHttpResult>> VerifyAsync(
        [AsParameters] TenantRoute route, SsfVerificationRequest request, Caller caller, IGrainFactory grains, HttpContext http)
    {
        switch (await grains.GetGrain<ISsfStreamsGrain>(route.Tenant).VerifyAsync(caller.Name, request.StreamId!, request.State))
        {
            case VerificationOutcome.Sent:
                return TypedResults.NoContent();
            case VerificationOutcome.TooSoon:
                http.Response.Headers.RetryAfter = ((int)SsfStream.MinVerificationInterval.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests, title: $"At most one verification per {SsfStream.MinVerificationInterval.TotalSeconds} s.", type: ApiProblems.TypePrefix + "verification-too-soon");
            default:
                return NotFound(request.StreamId!);
        }
    }

    private static async Task<Results<Ok<SsfStreamResponse>, ValidationProblem, ProblemHttpResult>> ChangeAsync(
        TenantRoute route, SsfStreamRequest request, bool replace, Caller caller, IGrainFactory grains, IConfiguration configuration, HttpContext http)
    {
        var errors = new InputErrors();
        if (replace && request.Delivery is null)
        {
            errors.Add("delivery", "A replacement gives every receiver-supplied member, 'delivery' among them.");
        }

        var spec = await request.ToSpecAsync(errors, creating: false, configuration.GetValue<bool>(WebhooksApi.AllowPrivateNetworksKey), http.RequestAborted);
        if (spec is null || !errors.IsEmpty)
        {
            return ApiProblems.Validation(errors);
        }

        var streams = grains.GetGrain<ISsfStreamsGrain>(route.Tenant);
        if (request.Delivery is not null && await streams.GetAsync(caller.Name, request.StreamId!) is { } existing && existing.Method != spec.Method)
        {
            errors.Add("delivery.method", $"{KeepsItsMethod} ('{SsfConfigurationResponse.Urn(existing.Method)}'); create another stream to change it.");
            return ApiProblems.Validation(errors);
        }

        return await streams.UpdateAsync(caller.Name, request.StreamId!, spec, replace) is { } stream
            ? TypedResults.Ok(SsfStreamResponse.From(stream))
            : NotFound(request.StreamId!);
    }

    /// <summary>The read answers one stream (given stream_id) or an array of them (without): both shapes, in the document.</summary>
    private static async Task OneOrAllStreamsAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var one = await context.GetOrCreateSchemaAsync(typeof(SsfStreamResponse), null, cancellationToken);
        var all = await context.GetOrCreateSchemaAsync(typeof(SsfStreamResponse[]), null, cancellationToken);
        if (operation.Responses?.TryGetValue("200", out var ok) == true && ok.Content is { } content)
        {
            foreach (var media in content.Values)
            {
                media.Schema = new OpenApiSchema { OneOf = [one, all] };
            }
        }
    }

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No stream '{id}' of this receiver in this tenant.", type: ApiProblems.TypePrefix + "stream-not-found");
}
