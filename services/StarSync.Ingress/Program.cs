using StarSync.Ingress;
using StarSync.Ingress.Admin;
using StarSync.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddIngress();

var app = builder.Build();
app.UseRequestLog();
app.UseExceptionHandler();
app.UseRouting();
// Between routing and the endpoints: the admin token is checked before any parameter binding or body read.
app.UseMiddleware<AdminAuthenticationMiddleware>();
app.MapDefaultEndpoints();
app.MapGitHubWebhook();  // POST /webhooks/github
app.MapAdminApi();       // /admin/...
app.MapStatusPage();     // GET /
app.Run();

/// <summary>Entry point; public so that WebApplicationFactory can host it in tests.</summary>
public partial class Program;
