using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.SessionDirectory;

namespace Orleans.Sessions.Api.Console.Admin;

/// <summary>
/// The counts of the tenant's active sessions as charts (docs/console.md, "Counts"): list-all's counts with the same
/// filters and role (<c>sessions:read-all</c>), by country, device type, sign-on method and risk signal.
/// </summary>
public static class AdminCounts
{
    public static void MapAdminCounts(this RouteGroupBuilder tenant) =>
        tenant.MapGet("/counts", CountAsync).WithMetadata(new RequiresRoles(SessionRoles.ReadAll));

    private static async Task<IResult> CountAsync(HttpContext http, IGrainFactory grains, SessionsAudit audit)
    {
        var admin = AdminView.Of(http);
        var form = SearchForm.Read(http.Request.Query);
        var errors = new InputErrors();
        if (form.Filter(admin.Caller, errors) is not { } filter)
        {
            return ConsoleEndpoints.Page<CountsPage>(new { Model = new CountsModel(admin, form, errors.ToDictionary(), null) }, StatusCodes.Status400BadRequest);
        }

        var started = Stopwatch.GetTimestamp();
        var counts = await grains.GetGrain<IDirectoryGrain>(admin.Tenant!).CountAsync(filter);
        ServerTiming.Add(http, "directory", started);
        audit.ListedAll(admin.Caller, admin.Tenant!, "count", counts.Total);
        BarChart[] charts =
        [
            BarChart.Of("by-country", "By country", counts.ByCountry, c => c == "unknown" ? "Unknown" : c),
            BarChart.Of("by-device", "By device type", counts.ByDeviceType),
            BarChart.Of("by-method", "By sign-on method", counts.ByAuthMethod),
            BarChart.Of("by-risk", "By risk signal", counts.ByRisk, s => s.Replace('_', ' '), "No session has a risk signal."),
        ];
        return ConsoleEndpoints.Page<CountsPage>(new { Model = new CountsModel(admin, form, AdminView.NoErrors, new CountsResult(counts.Total, charts)) });
    }
}

/// <summary>The counts page: the filters as filled in, and what they count (none when a filter was refused).</summary>
public sealed record CountsModel(AdminView Admin, SearchForm Form, IReadOnlyDictionary<string, string[]> Errors, CountsResult? Result);

/// <summary>How many active sessions the filters match, and the charts of them.</summary>
public sealed record CountsResult(int Total, IReadOnlyList<BarChart> Charts);
