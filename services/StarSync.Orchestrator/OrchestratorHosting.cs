namespace StarSync.Orchestrator;

internal static class OrchestratorHosting
{
    public static IHostApplicationBuilder AddOrchestrator(this IHostApplicationBuilder builder)
    {
        return builder;
    }
}
