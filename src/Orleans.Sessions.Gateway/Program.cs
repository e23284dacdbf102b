using Orleans.Sessions.Api;
using Orleans.Sessions.Gateway;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddSettingsFiles(builder.Environment);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = SessionsApiExtensions.MaxRequestBodyBytes);
builder.AddSessionsClient();
builder.Services.AddSessionsApi(builder.Configuration);
builder.Services.AddHealthChecks();

var app = builder.Build();
app.UseSessionsApi();
app.MapHealthChecks("/healthz");
await app.RunAsync();
