using Orleans.Sessions.Storage;

namespace Orleans.Sessions.Auth;

/// <summary>
/// The last TOTP time step accepted for one key, kept in grain storage before the code is accepted, so a code
/// cannot be replayed even after the grain moves to another silo or its silo crashes. Writes happen once per
/// accepted code — list-all with a second factor is an administrator's action, not a hot path.
/// </summary>
[GrainType("totpguard")] // Part of every stored key: pinned so that renaming the class never loses state.
public sealed class TotpReplayGuardGrain(
    [PersistentState("totp-guard", SessionsStorage.Name)] IPersistentState<TotpGuardState> state) : Grain, ITotpReplayGuardGrain
{
    public async Task<bool> TryUseAsync(long timeStep)
    {
        if (state.RecordExists && timeStep <= state.State.LastUsedStep)
        {
            return false;
        }

        state.State.LastUsedStep = timeStep;
        await state.WriteStateAsync();
        return true;
    }
}

/// <summary>The stored state of a TOTP replay guard (camelCase JSON: the property name is the storage contract).</summary>
[GenerateSerializer, Alias("sessions.TotpGuardState")]
public sealed class TotpGuardState
{
    [Id(0)] public long LastUsedStep { get; set; }
}
