using System.Net;
using MassTransit;
using StarSync.Contracts;
using StarSync.OneDev;

namespace StarSync.Orchestrator.Projects;

/// <summary>
/// Applies the unstar policy to a mirror's OneDev project: archive (a note at the top of its description) or
/// delete, and takes the archive note off again when the repository is starred again. All are idempotent: an
/// archived project is not noted twice, a project without the note is left alone, and a project that is already
/// gone counts as deleted. OneDev's refusals are reported back to the saga in <see cref="OneDevProjectRetired.Error"/>;
/// transient failures throw, so the message is retried.
/// </summary>
internal sealed class RetireOneDevProjectConsumer(OneDevClient oneDev, ILogger<RetireOneDevProjectConsumer> logger)
    : IConsumer<ArchiveOneDevProject>, IConsumer<DeleteOneDevProject>, IConsumer<RestoreOneDevProject>
{
    /// <summary>How every archive note begins (the saga writes <c>Archived by StarSync on yyyy-MM-dd: … was unstarred.</c>).</summary>
    public const string ArchiveNotePrefix = "Archived by StarSync on ";

    public Task Consume(ConsumeContext<ArchiveOneDevProject> context)
    {
        var m = context.Message;
        return ApplyAsync(context, m.MirrorId, m.ProjectId, m.FullName, "archived", async ct =>
        {
            var project = await oneDev.GetProjectAsync(m.ProjectId, ct);
            if (project.Description?.StartsWith(m.Note, StringComparison.Ordinal) != true)
            {
                var description = string.IsNullOrEmpty(project.Description) ? m.Note : m.Note + "\n\n" + project.Description;
                await oneDev.UpdateProjectAsync(project with { Description = description }, ct);
            }
        });
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

    public Task Consume(ConsumeContext<RestoreOneDevProject> context)
    {
        var m = context.Message;
        return ApplyAsync(context, m.MirrorId, m.ProjectId, m.FullName, "restored", async ct =>
        {
            var project = await oneDev.GetProjectAsync(m.ProjectId, ct);
            if (WithoutArchiveNote(project.Description) is { } description)
            {
                await oneDev.UpdateProjectAsync(project with { Description = description }, ct);
            }
        });
    }

    /// <summary>Runs one change to a project and reports it; OneDev's refusals go into the answer, transient failures throw.</summary>
    private async Task ApplyAsync(ConsumeContext context, Guid mirrorId, long projectId, string fullName, string action, Func<CancellationToken, Task> change)
    {
        string? error = null;
        try
        {
            await change(context.CancellationToken);
            logger.ProjectRetired(projectId, fullName, action);
        }
        catch (OneDevException ex) when (!ex.IsTransient)
        {
            error = ex.Message;
            logger.ProjectRetireRefused(projectId, fullName, ex.Message);
        }
        await context.Publish(new OneDevProjectRetired(mirrorId, projectId, action, error));
    }

    /// <summary>The description without its leading archive note, or null when it has none.</summary>
    internal static string? WithoutArchiveNote(string? description)
    {
        if (description?.StartsWith(ArchiveNotePrefix, StringComparison.Ordinal) != true)
        {
            return null;
        }
        var end = description.IndexOf("\n\n", StringComparison.Ordinal);
        return end < 0 ? "" : description[(end + 2)..];
    }
}
