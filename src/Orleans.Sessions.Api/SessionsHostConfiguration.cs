using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Orleans.Sessions.Api;

/// <summary>Loading of the settings in <c>silo-config/</c>, which the build copies next to each host's binary.</summary>
public static class SessionsHostConfiguration
{
    /// <summary>
    /// Puts <c>appsettings.json</c> and <c>appsettings.{Environment}.json</c> from the binary's directory
    /// first, so environment variables and command-line arguments still override them, whatever the
    /// working directory the host was started from.
    /// </summary>
    public static void AddSettingsFiles(this IConfigurationManager configuration, IHostEnvironment environment)
    {
        var provider = new PhysicalFileProvider(AppContext.BaseDirectory);
        string[] files = ["appsettings.json", $"appsettings.{environment.EnvironmentName}.json"];
        for (var i = 0; i < files.Length; i++)
        {
            configuration.Sources.Insert(i, new JsonConfigurationSource { FileProvider = provider, Path = files[i], Optional = true, ReloadOnChange = false });
        }
    }
}
