using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Orleans.Sessions.Api.Audit;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Api.Policy;
using Orleans.Sessions.Policy;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Orleans.Sessions.Api.Console.Admin;

/// <summary>
/// The tenant policy (docs/console.md, "Policy"; docs/policy.md) with its ETag: read, and replaced as JSON in the
/// shape <c>PUT …/policy</c> takes, read by the API's own JSON rules and checked by its validation. The form carries the
/// ETag it was read at, so a change made meanwhile by anyone else refuses this one (412) instead of being overwritten.
/// </summary>
public static class AdminPolicy
{
    public static void MapAdminPolicy(this RouteGroupBuilder tenant)
    {
        tenant.MapGet("/policy", ShowAsync).WithMetadata(new RequiresRoles(SessionRoles.Admin));
        tenant.MapPost("/policy", SaveAsync).WithMetadata(new RequiresRoles(SessionRoles.Admin));
    }

    private static async Task<IResult> ShowAsync(HttpContext http, [FromQuery] string? saved, IGrainFactory grains, IOptions<JsonOptions> json)
    {
        var admin = AdminView.Of(http);
        var view = await grains.GetGrain<ITenantPolicyGrain>(admin.Tenant!).GetAsync();
        http.Response.Headers.ETag = PolicyApi.ETag(view);
        return Page(Model(admin, view, json.Value, null, null, saved is null ? null : "The policy is saved."));
    }

    private static async Task<IResult> SaveAsync(
        HttpContext http, IGrainFactory grains, IAntiforgery antiforgery, SessionsAudit audit, IOptions<JsonOptions> json)
    {
        if (!await ConsoleEndpoints.IsGenuineFormAsync(http, antiforgery))
        {
            return ConsoleEndpoints.FormRefused();
        }

        var admin = AdminView.Of(http);
        var policyGrain = grains.GetGrain<ITenantPolicyGrain>(admin.Tenant!);
        var text = http.Request.Form["policy"].ToString();
        var etag = http.Request.Form["etag"].ToString();
        var errors = new InputErrors();
        var request = Read(text, json.Value.SerializerOptions, errors);
        request?.Validate(errors);
        if (request is null || !errors.IsEmpty)
        {
            return Page(Model(admin, await policyGrain.GetAsync(), json.Value, text, errors.ToDictionary(), null), StatusCodes.Status400BadRequest);
        }

        var change = await policyGrain.PutAsync(request.ToPolicy(), PolicyApi.Versions(etag), admin.Caller.Name);
        http.Response.Headers.ETag = PolicyApi.ETag(change.View);
        switch (change.Error)
        {
            case PolicyError.VersionMismatch:
                var changed = new Dictionary<string, string[]>
                {
                    ["etag"] = [$"Someone changed the policy since it was read (it is at {PolicyApi.ETag(change.View)}, not {etag}). Nothing was saved: here it is as it is now; make the change again."],
                };
                return Page(Model(admin, change.View, json.Value, null, changed, null), StatusCodes.Status412PreconditionFailed);
            case PolicyError.RingTooLarge:
                var tooLarge = new Dictionary<string, string[]>
                {
                    ["maxSessionsPerUser"] = [$"'maxSessionsPerUser' is above Sessions:MaxSessionsPerUser ({change.View.Defaults.MaxSessionsPerUser})."],
                };
                return Page(Model(admin, change.View, json.Value, text, tooLarge, null), StatusCodes.Status400BadRequest);
            default:
                audit.PolicyChanged(admin.Caller, admin.Tenant!, change.View.Stored.Version);
                await AdminAudit.RecordAsync(grains, admin.Tenant!, admin.Caller, "PutTenantPolicy", "policy");
                return ConsoleEndpoints.SeeOther($"{admin.PathOf("policy")}?saved={change.View.Stored.Version}");
        }
    }

    /// <summary>The posted JSON as a policy request, or null with an error saying where it stops being one.</summary>
    private static PolicyRequest? Read(string text, JsonSerializerOptions options, InputErrors errors)
    {
        try
        {
            if (JsonSerializer.Deserialize<PolicyRequest>(text, options) is { } request)
            {
                return request;
            }
        }
        catch (JsonException exception)
        {
            errors.Add("policy", $"This is not a policy in JSON: {exception.Message}");
            return null;
        }

        errors.Add("policy", "The policy is a JSON object; {} leaves every setting to configuration.");
        return null;
    }

    private static PolicyModel Model(
        AdminView admin, TenantPolicyView view, JsonOptions json, string? text, IReadOnlyDictionary<string, string[]>? errors, string? notice)
    {
        var policy = PolicyResponse.From(view);
        var indented = new JsonSerializerOptions(json.SerializerOptions) { WriteIndented = true };
        var editable = new { policy.ExpiresIn, policy.IdleTimeout, policy.MaxSessionsPerUser, policy.ActiveSessionLimit, policy.Clients, policy.Risk };
        return new PolicyModel(
            admin,
            policy,
            PolicyApi.ETag(view),
            text ?? JsonSerializer.Serialize(editable, indented),
            JsonSerializer.Serialize(policy.Defaults, indented),
            errors ?? new Dictionary<string, string[]>(),
            notice);
    }

    private static IResult Page(PolicyModel model, int status = StatusCodes.Status200OK) =>
        ConsoleEndpoints.Page<PolicyPage>(new { Model = model }, status);
}

/// <summary>The policy page: the policy, its ETag, the JSON to edit (as posted, after a refusal), configuration's values, and what was wrong.</summary>
public sealed record PolicyModel(
    AdminView Admin,
    PolicyResponse Policy,
    string ETag,
    string Json,
    string DefaultsJson,
    IReadOnlyDictionary<string, string[]> Errors,
    string? Notice);
