namespace Orleans.Sessions.Storage;

/// <summary>
/// A stored row: its payload and the version that is its ETag. A deleted row keeps its version with no
/// payload (a tombstone), so a version is never handed out twice for the same key.
/// </summary>
public readonly record struct StoredRow(long Version, byte[]? Payload);
