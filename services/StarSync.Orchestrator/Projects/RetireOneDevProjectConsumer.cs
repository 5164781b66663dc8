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

    public async Task Consume(ConsumeContext<RestoreOneDevProject> context)
    {
        var m = context.Message;
        string? error = null;
        try
        {
            var project = await oneDev.GetProjectAsync(m.ProjectId, context.CancellationToken);
            if (WithoutArchiveNote(project.Description) is { } description)
            {
                await oneDev.UpdateProjectAsync(project with { Description = description }, context.CancellationToken);
            }
            logger.ProjectRetired(m.ProjectId, m.FullName, "restored");
        }
        catch (OneDevException ex) when (!ex.IsTransient)
        {
            error = ex.Message;
            logger.ProjectRetireRefused(m.ProjectId, m.FullName, ex.Message);
        }
        await context.Publish(new OneDevProjectRetired(m.MirrorId, m.ProjectId, "restored", error));
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
