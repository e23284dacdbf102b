using Microsoft.Extensions.Options;
using Orleans.Sessions.Hosting;
using Orleans.Serialization;
using Orleans.Storage;

namespace Orleans.Sessions.Grains.Tests.Storage;

/// <summary>The grain storage serializer as silos configure it (camelCase JSON without .NET type names).</summary>
internal static class StorageJson
{
    public static SystemTextJsonGrainStorageSerializer Serializer { get; } = Create();

    private static SystemTextJsonGrainStorageSerializer Create()
    {
        var options = new SystemTextJsonGrainStorageSerializerOptions();
        SessionsSiloBuilderExtensions.ConfigureStorageJson(options.JsonSerializerOptions);
        return new SystemTextJsonGrainStorageSerializer(Options.Create(options));
    }
}
