using Orleans.Sessions.Api;
using Orleans.Sessions.Gateway;

var builder = WebApplication.CreateBuilder(args);
builder.AddSessionsHttpHost();
builder.AddSessionsClient();

var app = builder.Build();
app.UseSessionsApi();
await app.RunAsync();
