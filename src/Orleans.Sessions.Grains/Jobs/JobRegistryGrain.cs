using Orleans.Sessions.Storage;

namespace Orleans.Sessions.Jobs;

[GenerateSerializer, Alias("sessions.JobRegistryState")]
public sealed class JobRegistryState : IKeyList
{
    [Id(0)]
    public List<string> Jobs { get; set; } = [];

    List<string> IKeyList.Keys => Jobs;
}

/// <summary>The stored list of the cluster's running jobs (<see cref="IJobRegistryGrain"/>).</summary>
[GrainType("jobregistry")] // Part of the stored key: pinned.
public sealed class JobRegistryGrain(
    [PersistentState("job-registry", SessionsStorage.Name)] IPersistentState<JobRegistryState> state) : KeyRegistryGrain<JobRegistryState>(state), IJobRegistryGrain;
