using System.Net;
using MassTransit;
using StarSync.Contracts;
using StarSync.OneDev;

namespace StarSync.Orchestrator.Projects;

/// <summary>
/// Applies the unstar policy to a mirror's OneDev project: archive (a note at the top of its description) or
/// delete. Both are idempotent: an archived project is not noted twice, and a project that is already gone counts
/// as deleted. OneDev's refusals are reported back to the saga in <see cref="OneDevProjectRetired.Error"/>;
/// transient failures throw, so the message is retried.
/// </summary>
internal sealed class RetireOneDevProjectConsumer(OneDevClient oneDev, ILogger<RetireOneDevProjectConsumer> logger)
    : IConsumer<ArchiveOneDevProject>, IConsumer<DeleteOneDevProject>
{
    public async Task Consume(ConsumeContext<ArchiveOneDevProject> context)
    {
        var m = context.Message;
        string? error = null;
        try
        {
            var project = await oneDev.GetProjectAsync(m.ProjectId, context.CancellationToken);
            if (project.Description?.StartsWith(m.Note, StringComparison.Ordinal) != true)
            {
                var description = string.IsNullOrEmpty(project.Description) ? m.Note : m.Note + "\n\n" + project.Description;
                await oneDev.UpdateProjectAsync(project with { Description = description }, context.CancellationToken);
            }
            logger.ProjectRetired(m.ProjectId, m.FullName, "archived");
        }
        catch (OneDevException ex) when (!ex.IsTransient)
        {
            error = ex.Message;
            logger.ProjectRetireRefused(m.ProjectId, m.FullName, ex.Message);
        }
        await context.Publish(new OneDevProjectRetired(m.MirrorId, m.ProjectId, "archived", error));
    }

    public async Task Consume(ConsumeContext<DeleteOneDevProject> context)
    {
        var m = context.Message;
        string? error = null;
        try
        {
            await oneDev.DeleteProjectAsync(m.ProjectId, context.CancellationToken);
            logger.ProjectRetired(m.ProjectId, m.FullName, "deleted");
        }
        catch (OneDevException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            logger.ProjectRetired(m.ProjectId, m.FullName, "already deleted");
        }
        catch (OneDevException ex) when (!ex.IsTransient)
        {
            error = ex.Message;
            logger.ProjectRetireRefused(m.ProjectId, m.FullName, ex.Message);
        }
        await context.Publish(new OneDevProjectRetired(m.MirrorId, m.ProjectId, "deleted", error));
    }
}
