using Microsoft.Extensions.DependencyInjection.Extensions;

using StarSync.OneDev;

namespace StarSync.Orchestrator.Projects;

internal static class ProjectsHosting
{
    /// <summary>
    /// Options (<c>Projects</c>, <c>OneDev</c>, both validated at start) and the OneDev client for
    /// <see cref="CreateOneDevProjectConsumer"/>. The bus registration adds
    /// <c>x.AddConsumer&lt;CreateOneDevProjectConsumer, CreateOneDevProjectConsumerDefinition&gt;()</c>.
    /// </summary>
    public static IHostApplicationBuilder AddOneDevProjects(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProjectsOptions>()
            .BindConfiguration(ProjectsOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOneDevClient();
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }
}
