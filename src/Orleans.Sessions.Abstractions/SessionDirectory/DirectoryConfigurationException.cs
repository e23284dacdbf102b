namespace Orleans.Sessions.SessionDirectory;

/// <summary>A query fanned out over a shard count that the shards are not configured with.</summary>
[GenerateSerializer, Alias("sessions.DirectoryConfigurationException")]
public sealed class DirectoryConfigurationException : Exception
{
    public DirectoryConfigurationException()
    {
    }

    public DirectoryConfigurationException(string message)
        : base(message)
    {
    }

    public DirectoryConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
