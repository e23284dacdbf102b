using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Orleans.Sessions.Storage;

/// <summary>
/// What the project's row storages (SQLite, PostgreSQL) do with a grain state around their own reads and writes: the
/// state from a head row and its parts, the write of what changed with the ETag checked and moved, the clear.
/// </summary>
public sealed class RowStates(IGrainStorageSerializer serializer, IActivatorProvider activators)
{
    /// <summary>Fills <paramref name="grainState"/> from a head row (null: none stored) and its parts in key order.</summary>
    public void Load<T>(IGrainState<T> grainState, StoredRow? row, IReadOnlyList<byte[]> parts)
    {
        if (row is { Payload: { } payload })
        {
            grainState.State = serializer.Deserialize<T>(new BinaryData(payload));
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = activators.GetActivator<T>().Create();
            grainState.RecordExists = false;
        }

        (grainState.State as IPartedState)?.LoadParts(grainState.RecordExists ? parts : [], serializer);

        // A cleared row keeps its version: writing over it must present that ETag.
        grainState.ETag = StorageETag.Format(row?.Version);
    }

    /// <summary>
    /// Writes what changed (<see cref="StateWrite"/>) with <paramref name="commit"/>, given the version the ETag names,
    /// and moves the ETag to the version it answers.
    /// </summary>
    /// <exception cref="InconsistentStateException">The stored version was another.</exception>
    public async Task WriteAsync<T>(IGrainState<T> grainState, Func<StateWrite, long?, Task<long>> commit)
    {
        var write = StateWrite.Of(grainState.State, serializer);
        try
        {
            grainState.ETag = StorageETag.Format(await commit(write, StorageETag.Parse(grainState.ETag)));
        }
        catch (VersionConflictException conflict)
        {
            throw StorageETag.Conflict(conflict, grainState.ETag);
        }

        grainState.RecordExists = true;
        write.Parts?.Stored();
    }

    /// <summary>Clears with <paramref name="commit"/>, given the version the ETag names; the ETag becomes the tombstone's.</summary>
    /// <exception cref="InconsistentStateException">The stored version was another.</exception>
    public async Task ClearAsync<T>(IGrainState<T> grainState, Func<long?, Task<long?>> commit)
    {
        try
        {
            grainState.ETag = StorageETag.Format(await commit(StorageETag.Parse(grainState.ETag)));
        }
        catch (VersionConflictException conflict)
        {
            throw StorageETag.Conflict(conflict, grainState.ETag);
        }

        grainState.RecordExists = false;
        grainState.State = activators.GetActivator<T>().Create();
        (grainState.State as IPartedState)?.LoadParts([], serializer);
    }
}
