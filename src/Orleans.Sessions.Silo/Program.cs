using Orleans.Sessions.Api;
using Orleans.Sessions.Silo;

if (args is ["migrate", .. var migrateArgs])
{
    return await SiloHost.MigrateAsync(migrateArgs);
}

var builder = WebApplication.CreateBuilder(args);
var profile = builder.AddSessionsHttpHost();
builder.AddSessionsSilo(profile);

var app = builder.Build();
app.UseSessionsApi();
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to <c>WebApplicationFactory</c> in tests.</summary>
public partial class Program;
