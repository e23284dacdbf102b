using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Orleans.Sessions.Api.Canonical;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Api.SessionDirectory;
using Orleans.Sessions.Jobs;

namespace Orleans.Sessions.Api.Jobs;

/// <summary>
/// A revoke by query's body (the filters are the query parameters of list-all): a <c>reason</c>, and either
/// <c>dryRun: true</c> or the <c>confirmation</c> a dry run of the same filters answered.
/// </summary>
[RequestContract]
public sealed record RevokeByQueryRequest(
    [property: Required, StringLength(RequestRules.MaxReasonLength, MinimumLength = 1), RegularExpression(WirePatterns.Text)] string? Reason,
    [property: Description("Count the sessions the filters match and answer a sample and a confirmation; end nothing.")] bool? DryRun,
    [property: Description("The confirmation a dry run of exactly these filters answered: required unless dryRun."), MaxLength(RevokeConfirmation.MaxLength), RegularExpression(WirePatterns.Cursor)] string? Confirmation) : IValidatable
{
    public void Validate(InputErrors errors)
    {
        if (string.IsNullOrEmpty(Reason))
        {
            errors.AddRequired("reason");
        }
        else
        {
            InputRules.Text(errors, "reason", Reason, RequestRules.MaxReasonLength);
        }

        if (DryRun != true && string.IsNullOrEmpty(Confirmation))
        {
            errors.Add("confirmation", "'confirmation' is required: make a dry run of these filters first (dryRun: true) and send back its confirmation.");
        }
    }
}

/// <summary>A dry run's answer: how many active sessions the filters match now, the first of them, and what confirms a real run.</summary>
public sealed record RevokeDryRunResponse(
    long Matched,
    IReadOnlyList<DirectorySessionResponse> Sample,
    [property: Description("Send it back with the same filters (and dryRun false) to end these sessions.")] string Confirmation);

/// <summary>A revoke-by-query job: what it ends, its cut-off, where it is.</summary>
public sealed record JobResponse(
    string Id,
    [property: Description("revoke-by-query")] string Kind,
    [property: Description("running, completed or cancelled.")] string Status,
    string? Reason,
    [property: Description("The name of the credential that started it.")] string CreatedBy,
    [property: Description("The cut-off: sessions created at or after it are not ended.")] DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    [property: Description("The count of the dry run it was confirmed with.")] long ConfirmedCount,
    [property: Description("Sessions the filters matched so far; each is ended, skipped or failed.")] long Matched,
    [property: Description("Sessions this job ended.")] long Ended,
    [property: Description("Sessions that had ended otherwise by the time the job came to them.")] long Skipped,
    [property: Description("Sessions the job could not end.")] long Failed,
    int ShardsDone,
    int Shards,
    string? CancelledBy)
{
    public static JobResponse From(RevokeJob job) => new(
        job.Id, "revoke-by-query", job.Status.ToString().ToLowerInvariant(), job.Spec.Reason, job.Spec.Actor, job.StartedAt, job.FinishedAt,
        job.Spec.ConfirmedCount, job.Matched, job.Ended, job.Skipped, job.Failed, job.ShardsDone, job.Shards, job.CancelledBy);
}

/// <summary><c>/v1/tenants/{tenant}/jobs/{jobId}</c>.</summary>
public sealed class JobRoute : IValidatable
{
    public const string Pattern = "^job_[0-9A-HJKMNP-TV-Z]{26}$";

    [Microsoft.AspNetCore.Mvc.FromRoute(Name = "tenant"), RegularExpression(WirePatterns.Id)]
    public string Tenant { get; set; } = "";

    [Microsoft.AspNetCore.Mvc.FromRoute(Name = "jobId"), RegularExpression(Pattern)]
    public string JobId { get; set; } = "";

    public void Validate(InputErrors errors)
    {
        InputRules.Id(errors, "tenant", Tenant);
        if (!System.Text.RegularExpressions.Regex.IsMatch(JobId, Pattern))
        {
            errors.Add("jobId", "'jobId' must be a job id (job_ and 26 characters).");
        }
    }
}
