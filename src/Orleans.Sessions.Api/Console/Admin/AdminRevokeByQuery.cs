using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Sessions.Api.Audit;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Canonical;
using Orleans.Sessions.Api.Console.Pages;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Api.Jobs;
using Orleans.Sessions.Jobs;
using Orleans.Sessions.SessionDirectory;

namespace Orleans.Sessions.Api.Console.Admin;

/// <summary>
/// Revoke by query in the console (docs/console.md, "Revoke by query"; docs/jobs.md): the filters are counted first (a
/// dry run, with a sample), and a run needs that count's confirmation, the count typed back and a reason; it starts the
/// same durable job as <c>POST /v1/tenants/{tenant}/sessions/revoke</c>, with the same roles (<c>sessions:revoke</c> and
/// <c>sessions:read-all</c>) and the same audit entry. The job's page shows where it is and can cancel it.
/// </summary>
public static class AdminRevokeByQuery
{
    private const SessionRoles Roles = SessionRoles.Revoke | SessionRoles.ReadAll;

    public static void MapAdminRevokeByQuery(this RouteGroupBuilder tenant)
    {
        tenant.MapGet("/revoke", DryRunAsync).WithMetadata(new RequiresRoles(Roles));
        tenant.MapPost("/revoke", RunAsync).WithMetadata(new RequiresRoles(Roles));
        tenant.MapGet("/jobs/{jobId}", JobAsync).WithMetadata(new RequiresRoles(Roles));
        tenant.MapPost("/jobs/{jobId}/cancel", CancelAsync).WithMetadata(new RequiresRoles(Roles));
    }

    public static string JobPath(AdminView admin, string jobId) => admin.PathOf($"jobs/{Uri.EscapeDataString(jobId)}");

    private static async Task<IResult> DryRunAsync(HttpContext http, IGrainFactory grains, SessionsAudit audit, [FromKeyedServices(SessionsClock.Key)] TimeProvider clock)
    {
        var admin = AdminView.Of(http);
        var form = SearchForm.Read(http.Request.Query);
        var errors = new InputErrors();
        if (form.Filter(admin.Caller, errors) is not { } filter)
        {
            return Page(new RevokeByQueryModel(admin, form, errors.ToDictionary(), null, "", null), StatusCodes.Status400BadRequest);
        }

        var dryRun = await CountAsync(http, admin, filter, grains, audit, clock);
        return Page(new RevokeByQueryModel(admin, form, AdminView.NoErrors, dryRun, "", null));
    }

    private static async Task<IResult> RunAsync(
        HttpContext http, IGrainFactory grains, IAntiforgery antiforgery, SessionsAudit audit, [FromKeyedServices(SessionsClock.Key)] TimeProvider clock)
    {
        if (!await ConsoleEndpoints.IsGenuineFormAsync(http, antiforgery))
        {
            return ConsoleEndpoints.FormRefused();
        }

        var admin = AdminView.Of(http);
        var posted = http.Request.Form;
        var form = SearchForm.Read(posted);
        var errors = new InputErrors();
        if (form.Filter(admin.Caller, errors) is not { } filter)
        {
            return Page(new RevokeByQueryModel(admin, form, errors.ToDictionary(), null, "", null), StatusCodes.Status400BadRequest);
        }

        var reason = posted["reason"].ToString().Trim();
        InputRules.Text(errors, "reason", reason, RequestRules.MaxReasonLength);
        var confirmed = RevokeConfirmation.TryRead(posted["confirmation"].ToString(), out var count, out var sameFilter, filter);
        string? problem = (confirmed, sameFilter) switch
        {
            (false, _) => "This confirmation is not one the count gave. Count again.",
            (true, false) => "The filters changed since they were counted. Count again.",
            _ when reason.Length == 0 => "Say why these sessions are revoked: the reason is kept with each and in the audit history.",
            _ when !errors.IsEmpty => $"The reason is at most {RequestRules.MaxReasonLength} characters, without control characters.",
            _ when posted["count"].ToString().Trim() != count.ToString(CultureInfo.InvariantCulture) =>
                $"Type the number of sessions, {count.ToString(CultureInfo.InvariantCulture)}, to confirm.",
            _ => null,
        };
        if (problem is not null)
        {
            // A fresh count, so the page asks again about what the filters match now.
            var dryRun = await CountAsync(http, admin, filter, grains, audit, clock);
            return Page(new RevokeByQueryModel(admin, form, AdminView.NoErrors, dryRun, reason, problem), confirmed && !sameFilter ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest);
        }

        var job = await JobsApi.StartJobAsync(grains, admin.Tenant!, filter, reason, admin.Caller, count);
        await AdminAudit.RecordAsync(grains, admin.Tenant!, admin.Caller, "RevokeSessionsByQuery", $"jobs/{job.Id}");
        return ConsoleEndpoints.SeeOther(JobPath(admin, job.Id));
    }

    private static async Task<IResult> JobAsync(HttpContext http, string jobId, IGrainFactory grains)
    {
        var admin = AdminView.Of(http);
        return await FindAsync(admin, jobId, grains) is { } job
            ? ConsoleEndpoints.Page<JobPage>(new { Model = new JobModel(admin, JobResponse.From(job)) })
            : NoSuchJob(admin);
    }

    private static async Task<IResult> CancelAsync(HttpContext http, string jobId, IGrainFactory grains, IAntiforgery antiforgery)
    {
        if (!await ConsoleEndpoints.IsGenuineFormAsync(http, antiforgery))
        {
            return ConsoleEndpoints.FormRefused();
        }

        var admin = AdminView.Of(http);
        if (!IsJobId(jobId) || await grains.GetGrain<IRevokeJobGrain>(JobKeys.Of(admin.Tenant!, jobId)).CancelAsync(admin.Caller.Name) is null)
        {
            return NoSuchJob(admin);
        }

        await AdminAudit.RecordAsync(grains, admin.Tenant!, admin.Caller, "CancelJob", $"jobs/{jobId}");
        return ConsoleEndpoints.SeeOther(JobPath(admin, jobId));
    }

    /// <summary>The dry run: how many active sessions the filter matches now, the first few, and the confirmation of that count.</summary>
    private static async Task<RevokeDryRun> CountAsync(
        HttpContext http, AdminView admin, DirectoryFilter filter, IGrainFactory grains, SessionsAudit audit, TimeProvider clock)
    {
        var page = await grains.GetGrain<IDirectoryGrain>(admin.Tenant!).ListAsync(new DirectoryQuery { Filter = filter, Take = JobsApi.SampleSize });
        audit.ListedAll(admin.Caller, admin.Tenant!, "revoke-dry-run", page.Total);
        var language = RelativeTime.LanguageOf(http.Request.Headers.AcceptLanguage);
        var now = clock.GetUtcNow();
        return new RevokeDryRun(page.Total, [.. page.Items.Select(i => AdminSessions.Row(admin, i, now, language))], RevokeConfirmation.Encode(filter, page.Total), language);
    }

    private static async Task<RevokeJob?> FindAsync(AdminView admin, string jobId, IGrainFactory grains) =>
        IsJobId(jobId) ? await grains.GetGrain<IRevokeJobGrain>(JobKeys.Of(admin.Tenant!, jobId)).GetAsync() : null;

    private static bool IsJobId(string jobId) => System.Text.RegularExpressions.Regex.IsMatch(jobId, JobRoute.Pattern);

    private static IResult NoSuchJob(AdminView admin) => ConsoleEndpoints.Page<MessagePage>(
        new { Heading = "No such job", Text = "There is no job of that id in this tenant.", LinkHref = admin.PathOf("revoke"), LinkText = "Back" },
        StatusCodes.Status404NotFound);

    private static IResult Page(RevokeByQueryModel model, int status = StatusCodes.Status200OK) =>
        ConsoleEndpoints.Page<RevokeByQueryPage>(new { Model = model }, status);
}

/// <summary>The revoke-by-query page: the filters, their count (none when a filter was refused), the reason, and what was wrong with a run.</summary>
public sealed record RevokeByQueryModel(
    AdminView Admin, SearchForm Form, IReadOnlyDictionary<string, string[]> Errors, RevokeDryRun? DryRun, string Reason, string? Problem);

/// <summary>What a dry run found: the count, a sample of the sessions, and the confirmation a run must send back.</summary>
public sealed record RevokeDryRun(long Matched, IReadOnlyList<SearchRow> Sample, string Confirmation, string Language);

/// <summary>A revoke-by-query job's page.</summary>
public sealed record JobModel(AdminView Admin, JobResponse Job);
