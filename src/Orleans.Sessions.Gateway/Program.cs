using Orleans.Sessions.Api;
using Orleans.Sessions.Gateway;

var builder = WebApplication.CreateBuilder(args);
var profile = builder.AddSessionsHttpHost();
builder.AddSessionsClient(profile);

var app = builder.Build();
app.UseSessionsApi();
await app.RunAsync();
