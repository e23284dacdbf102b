using Orleans.Sessions.Api;
using Orleans.Sessions.Silo;

if (args is ["migrate", .. var migrateArgs])
{
    return await SiloHost.MigrateAsync(migrateArgs);
}

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddSettingsFiles(builder.Environment);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = SessionsApiExtensions.MaxRequestBodyBytes);
builder.AddSessionsSilo();
builder.Services.AddSessionsApi(builder.Configuration);
builder.Services.AddHealthChecks();

var app = builder.Build();
app.UseSessionsApi();
app.MapHealthChecks("/healthz");
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to <c>WebApplicationFactory</c> in tests.</summary>
public partial class Program;
