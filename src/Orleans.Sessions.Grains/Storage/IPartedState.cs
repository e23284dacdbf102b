using Orleans.Storage;

namespace Orleans.Sessions.Storage;

/// <summary>
/// A grain state that a storage may keep as a head row plus one row per part (docs/operations.md, "Parts"), so a write
/// stores only the parts that changed: a sign-on writes its new session, not the user's whole ring. Parts are ordered by
/// their keys and only ever leave the state from the front (the oldest). A storage that does not know this interface
/// stores the whole state as one payload, parts included, and that payload still loads here.
/// </summary>
public interface IPartedState
{
    /// <summary>
    /// What to store besides the head: the parts changed since they were last stored, serialized by
    /// <paramref name="serializer"/>, and which stored parts to delete. Call <see cref="PartsDelta.Stored"/> once the
    /// write committed.
    /// </summary>
    PartsDelta ChangedParts(IGrainStorageSerializer serializer);

    /// <summary>Takes the parts out of the state until the handle is disposed, so the head's payload does not carry them.</summary>
    IDisposable HideParts();

    /// <summary>
    /// Completes a state just read from its head with its stored parts, in key order. A head that carries parts of its
    /// own (written whole, by an earlier version or another storage) keeps them, and its next write replaces every
    /// stored part.
    /// </summary>
    void LoadParts(IReadOnlyList<byte[]> parts, IGrainStorageSerializer serializer);
}

/// <summary>A part as stored: its key within the state and its payload.</summary>
public readonly record struct StatePart(string Key, byte[] Payload);

/// <summary>The part rows a write stores with the head.</summary>
/// <param name="Upserts">Parts to insert or replace.</param>
/// <param name="RemoveAll">Delete every stored part first (the head carried them itself).</param>
/// <param name="RemoveBefore">Delete the stored parts whose keys sort before this one (null: none).</param>
/// <param name="Stored">Marks the parts stored: call it once the write committed.</param>
public sealed record PartsDelta(IReadOnlyList<StatePart> Upserts, bool RemoveAll, string? RemoveBefore, Action Stored);
