using Orleans.Sessions.Api;
using Orleans.Sessions.Silo;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddSettingsFiles(builder.Environment);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = SessionsApiExtensions.MaxRequestBodyBytes);
builder.AddSessionsSilo();
builder.Services.AddSessionsApi(builder.Configuration);
builder.Services.AddHealthChecks();

var app = builder.Build();
app.UseSessionsApi();
app.MapHealthChecks("/healthz");
app.Run();

/// <summary>The entry point, visible to <c>WebApplicationFactory</c> in tests.</summary>
public partial class Program;
