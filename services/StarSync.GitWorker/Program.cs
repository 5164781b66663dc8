using StarSync.GitWorker;
using StarSync.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGitWorker();
var app = builder.Build();
app.UseRequestLog();
app.MapDefaultEndpoints();
app.Run();

/// <summary>Entry point; public so that WebApplicationFactory can host it in tests.</summary>
public partial class Program;
