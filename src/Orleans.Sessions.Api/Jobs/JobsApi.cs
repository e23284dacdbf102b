using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Orleans.Sessions.Api.Audit;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Api.SessionDirectory;
using Orleans.Sessions.Jobs;
using Orleans.Sessions.SessionDirectory;

namespace Orleans.Sessions.Api.Jobs;

/// <summary>
/// Revoke by query (docs/jobs.md), roles <c>sessions:revoke</c> and <c>sessions:read-all</c>: a dry run that counts, a
/// confirmed run that starts a durable job, and the job's progress and cancellation.
/// </summary>
public static class JobsApi
{
    /// <summary>How many sessions a dry run shows.</summary>
    public const int SampleSize = 10;

    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var revoke = app.MapGroup("/v1/tenants/{tenant}/sessions/revoke")
            .WithTags("Directory")
            .WithMetadata(CanonicalSurface.Instance)
            .RequireAuthorization(SessionsPolicies.RevokeByQuery)
            .WithInputValidation()
            .WithAdminAudit();
        revoke.MapPost("/", RevokeAsync).ProducesProblem(StatusCodes.Status409Conflict).WithName("RevokeSessionsByQuery")
            .WithSummary("End every active session the list-all filters match: a dry run counts them; a run confirmed by that dry run starts a job.")
            .WithDescription("The filters are list-all's query parameters, metadata.{key}={value} included. Sessions created after the job starts are not ended.");

        var jobs = app.MapGroup("/v1/tenants/{tenant}/jobs")
            .WithTags("Directory")
            .WithMetadata(CanonicalSurface.Instance)
            .RequireAuthorization(SessionsPolicies.RevokeByQuery)
            .WithInputValidation()
            .WithAdminAudit();
        jobs.MapGet("/{jobId}", GetAsync).ProducesNotFound().WithName("GetJob").WithSummary("A revoke-by-query job: its status and counts.");
        jobs.MapDelete("/{jobId}", CancelAsync).ProducesNotFound().WithName("CancelJob").WithSummary("Stop a running job where it is; what it ended stays ended.");
        return app;
    }

    public static async Task<Results<Ok<RevokeDryRunResponse>, Accepted<JobResponse>, ValidationProblem, ProblemHttpResult>> RevokeAsync(
        [AsParameters] TenantRoute route, [AsParameters] DirectoryFilterParameters parameters, RevokeByQueryRequest request, Caller caller, IGrainFactory grains)
    {
        var filter = parameters.Filter with { Scope = caller.Scope };
        if (request.DryRun == true)
        {
            var directory = grains.GetGrain<IDirectoryGrain>(route.Tenant);
            var page = await directory.ListAsync(new DirectoryQuery { Filter = filter, Take = SampleSize });
            return TypedResults.Ok(new RevokeDryRunResponse(
                page.Total, [.. page.Items.Select(i => DirectoryApi.ToResponse(route.Tenant, i))], RevokeConfirmation.Encode(filter, page.Total)));
        }

        if (!RevokeConfirmation.TryRead(request.Confirmation!, out var count, out var sameFilter, filter))
        {
            var errors = new InputErrors();
            errors.Add("confirmation", "'confirmation' is not one a dry run answered: make a dry run of these filters and send back its confirmation.");
            return ApiProblems.Validation(errors);
        }

        if (!sameFilter)
        {
            return TypedResults.Problem(
                "The confirmation is for other filters than these: make a dry run of these filters, check its count, and send back its confirmation.",
                statusCode: StatusCodes.Status409Conflict, title: "Not the filters the dry run counted", type: ApiProblems.TypePrefix + "confirmation-mismatch");
        }

        var job = await StartJobAsync(grains, route.Tenant, filter, request.Reason!, caller, count);
        return TypedResults.Accepted($"/v1/tenants/{route.Tenant}/jobs/{job.Id}", JobResponse.From(job));
    }

    /// <summary>Starts a job that ends the sessions <paramref name="filter"/> matches, confirmed by a dry run that counted <paramref name="confirmedCount"/>.</summary>
    public static Task<RevokeJob> StartJobAsync(IGrainFactory grains, string tenant, DirectoryFilter filter, string reason, Caller caller, long confirmedCount)
    {
        var id = RevokeJob.IdPrefix + System.Ulid.NewUlid();
        return grains.GetGrain<IRevokeJobGrain>(JobKeys.Of(tenant, id)).StartAsync(new RevokeJobSpec(filter, reason, caller.Name, confirmedCount));
    }

    public static async Task<Results<Ok<JobResponse>, ProblemHttpResult>> GetAsync([AsParameters] JobRoute route, IGrainFactory grains) =>
        await grains.GetGrain<IRevokeJobGrain>(JobKeys.Of(route.Tenant, route.JobId)).GetAsync() is { } job
            ? TypedResults.Ok(JobResponse.From(job))
            : NotFound(route.JobId);

    public static async Task<Results<Ok<JobResponse>, ProblemHttpResult>> CancelAsync([AsParameters] JobRoute route, Caller caller, IGrainFactory grains) =>
        await grains.GetGrain<IRevokeJobGrain>(JobKeys.Of(route.Tenant, route.JobId)).CancelAsync(caller.Name) is { } job
            ? TypedResults.Ok(JobResponse.From(job))
            : NotFound(route.JobId);

    private static ProblemHttpResult NotFound(string jobId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No job '{jobId}' in this tenant.", type: ApiProblems.TypePrefix + "job-not-found");
}
