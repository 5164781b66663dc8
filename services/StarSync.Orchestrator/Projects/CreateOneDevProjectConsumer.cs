using MassTransit;

using Microsoft.Extensions.Options;

using StarSync.Contracts;
using StarSync.OneDev;

namespace StarSync.Orchestrator.Projects;

/// <summary>
/// Makes sure the OneDev project for a repository exists, idempotently: it looks the path up before creating
/// anything, creates missing parent levels one by one, and recognises its own projects by the
/// <see cref="MirrorMarker"/> in their description. OneDev errors become <see cref="OneDevProjectCreationFailed"/>
/// (the saga owns backoff); anything unexpected is thrown to MassTransit's retry and fault handling.
/// </summary>
internal sealed class CreateOneDevProjectConsumer(
    OneDevClient oneDev,
    IOptions<ProjectsOptions> options,
    TimeProvider time,
    ILogger<CreateOneDevProjectConsumer> logger) : IConsumer<CreateOneDevProject>
{
    /// <summary>How many date-suffixed names (<c>-yyyyMMdd</c>, <c>-yyyyMMdd-2</c>, ...) to try.</summary>
    private const int MaxAlternatives = 20;

    /// <summary>How often a create that lost a race is followed by another look-up.</summary>
    private const int MaxRaces = 3;

    private const string ParentDescription = "Group of GitHub mirrors managed by StarSync";

    public async Task Consume(ConsumeContext<CreateOneDevProject> context)
    {
        CreateOneDevProject command = context.Message;
        GitHubRepository repository = command.Repository;
        CancellationToken ct = context.CancellationToken;
        OneDevProjectCreated created;
        try
        {
            (OneDevProject project, bool existed) = await EnsureProjectAsync(repository, ct);
            string gitUrl = await oneDev.GetHttpCloneUrlAsync(project.Id, ct);
            created = new OneDevProjectCreated(command.MirrorId, command.Attempt, project.Id, project.Path, gitUrl, existed);
        }
        catch (Exception ex) when (ex is OneDevException or ProjectConflictException)
        {
            bool transient = ex is OneDevException { IsTransient: true };
            logger.ProjectCreationFailed(repository.FullName, transient, ex.Message);
            await context.Publish(
                new OneDevProjectCreationFailed(command.MirrorId, command.Attempt, ex.Message, transient, time.GetUtcNow()),
                ct);
            return;
        }

        await context.Publish(created, ct);
    }

    private async Task<(OneDevProject Project, bool Existed)> EnsureProjectAsync(GitHubRepository repository, CancellationToken ct)
    {
        ProjectsOptions settings = options.Value;
        IReadOnlyList<string> segments = ProjectNaming.Render(settings.NameTemplate, repository);
        string name = segments[^1];
        string path = ProjectNaming.Join(segments);

        // The common case (a retry, a re-star, a mirror that exists) costs one query and creates nothing.
        OneDevProject? existing = await oneDev.FindProjectByPathAsync(path, ct);
        long? parentId;
        string? parentPath;
        if (existing is null)
        {
            (parentId, parentPath) = await EnsureParentsAsync(segments, ct);
        }
        else
        {
            parentId = existing.ParentId;
            parentPath = ParentPathOf(existing.Path);
        }

        Claim claim = await ClaimAsync(parentId, parentPath, name, repository, existing, settings.ConflictPolicy == ConflictPolicy.UseExisting, ct);
        if (claim.Project is { } project)
        {
            return (project, claim.Existed);
        }

        OneDevProject holder = claim.Holder!;
        long? holderId = MirrorMarker.GitHubIdOf(holder.Description);
        // Under UseExisting the holder is always another repository's mirror (an unmarked project would have been
        // adopted): never share it, never fail for it (a repository deleted and re-created under the same name, or a
        // new one taking a renamed repository's old name); the newcomer gets a suffixed project of its own.
        if (settings.ConflictPolicy == ConflictPolicy.Fail)
        {
            throw new ProjectConflictException(holderId is null
                ? $"OneDev project '{holder.Path}' already exists and is not a StarSync mirror of {repository.FullName} (Projects:ConflictPolicy is {settings.ConflictPolicy}; use UseExisting or DateSuffix, or rename that project)."
                : $"OneDev project '{holder.Path}' is StarSync's mirror of another GitHub repository (github-id {holderId}) and cannot also mirror {repository.FullName} (Projects:ConflictPolicy is Fail; use UseExisting or DateSuffix to give it a suffixed project, or change Projects:NameTemplate).");
        }

        // A retry on a later day must find the alternative it made before instead of making another one.
        OneDevProject? earlier = await FindOwnAlternativeAsync(parentPath, name, repository, ct);
        if (earlier is not null)
        {
            logger.ProjectFound(earlier.Path, earlier.Id, repository.FullName);
            return (earlier, true);
        }

        DateTimeOffset now = time.GetUtcNow();
        for (int n = 1; n <= MaxAlternatives; n++)
        {
            string alternative = ProjectNaming.WithSuffix(name, ProjectNaming.DateSuffix(now, n));
            logger.ProjectNameTaken(holder.Path, repository.FullName, Combine(parentPath, alternative));
            claim = await ClaimAsync(parentId, parentPath, alternative, repository, known: null, adoptUnmarked: false, ct);
            if (claim.Project is { } made)
            {
                return (made, claim.Existed);
            }

            holder = claim.Holder!;
        }

        throw new ProjectConflictException(
            $"OneDev project '{path}' and {MaxAlternatives} date-suffixed alternatives are all taken by other projects; cannot mirror {repository.FullName}.");
    }

    /// <summary>
    /// Uses or creates the project <paramref name="name"/> under the parent. Returns the project when it is this
    /// repository's mirror (or an unmarked project that may be adopted), or the holder when the name is taken.
    /// </summary>
    private async Task<Claim> ClaimAsync(
        long? parentId, string? parentPath, string name, GitHubRepository repository, OneDevProject? known, bool adoptUnmarked, CancellationToken ct)
    {
        string path = Combine(parentPath, name);
        OneDevProject? existing = known ?? await oneDev.FindProjectByPathAsync(path, ct);
        for (int race = 0; ; race++)
        {
            if (existing is not null)
            {
                long? owner = MirrorMarker.GitHubIdOf(existing.Description);
                if (owner == repository.Id)
                {
                    logger.ProjectFound(existing.Path, existing.Id, repository.FullName);
                    return new Claim(existing, Existed: true, Holder: null);
                }

                if (owner is null && adoptUnmarked)
                {
                    logger.ProjectAdopted(existing.Path, existing.Id, repository.FullName);
                    return new Claim(existing, Existed: true, Holder: null);
                }

                return new Claim(null, Existed: true, Holder: existing);
            }

            try
            {
                long id = await oneDev.CreateProjectAsync(
                    new NewOneDevProject(name, parentId)
                    {
                        Description = MirrorMarker.Description(repository),
                        CodeManagement = true,
                        IssueManagement = false,
                        PackManagement = false,
                        TimeTracking = false,
                    },
                    ct);
                OneDevProject created = await oneDev.GetProjectAsync(id, ct);
                logger.ProjectCreated(created.Path, created.Id, repository.FullName);
                return new Claim(created, Existed: false, Holder: null);
            }
            catch (OneDevException ex) when (ex.IsNameConflict && race < MaxRaces)
            {
                // Someone (often another attempt for the same repository) created it between look-up and create.
                logger.ConcurrentlyCreated(path);
                existing = await oneDev.FindProjectByPathAsync(path, ct) ?? throw Invisible(path, ex);
            }
        }
    }

    /// <summary>Finds or creates every level above the mirror; returns the id and real path of the last one.</summary>
    private async Task<(long? ParentId, string? ParentPath)> EnsureParentsAsync(IReadOnlyList<string> segments, CancellationToken ct)
    {
        long? parentId = null;
        string? parentPath = null;
        for (int level = 0; level < segments.Count - 1; level++)
        {
            string path = Combine(parentPath, segments[level]);
            OneDevProject? parent = await oneDev.FindProjectByPathAsync(path, ct);
            if (parent is null)
            {
                try
                {
                    // Like OneDev's own auto-created parents: a grouping project without code or issues.
                    long id = await oneDev.CreateProjectAsync(
                        new NewOneDevProject(segments[level], parentId)
                        {
                            Description = ParentDescription,
                            CodeManagement = false,
                            IssueManagement = false,
                            PackManagement = false,
                            TimeTracking = false,
                        },
                        ct);
                    parent = await oneDev.GetProjectAsync(id, ct);
                    logger.ParentCreated(parent.Path, parent.Id);
                }
                catch (OneDevException ex) when (ex.IsNameConflict)
                {
                    logger.ConcurrentlyCreated(path);
                    parent = await oneDev.FindProjectByPathAsync(path, ct) ?? throw Invisible(path, ex);
                }
            }

            parentId = parent.Id;
            parentPath = parent.Path;
        }

        return (parentId, parentPath);
    }

    /// <summary>A sibling named <c>&lt;name&gt;-...</c> that carries this repository's marker (made by an earlier DateSuffix attempt).</summary>
    private async Task<OneDevProject?> FindOwnAlternativeAsync(string? parentPath, string name, GitHubRepository repository, CancellationToken ct)
    {
        string prefix = Combine(parentPath, name) + "-";
        IReadOnlyList<OneDevProject> candidates = await oneDev.QueryProjectsAsync(
            $"\"Path\" is {OneDevClient.QuoteQueryValue(prefix + "*")}", ct);
        return candidates
            .Where(p => p.Path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                && !p.Path.AsSpan(prefix.Length).Contains('/')
                && MirrorMarker.GitHubIdOf(p.Description) == repository.Id)
            .OrderBy(p => p.Id)
            .FirstOrDefault();
    }

    private static OneDevException Invisible(string path, OneDevException conflict)
    {
        return new OneDevException(
            $"OneDev says the name of '{path}' is taken, but the access token cannot see that project; grant the token's owner access to it or rename it.",
            conflict.StatusCode,
            isTransient: false,
            innerException: conflict);
    }

    private static string Combine(string? parentPath, string name)
    {
        return parentPath is null ? name : parentPath + "/" + name;
    }

    private static string? ParentPathOf(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash < 0 ? null : path[..slash];
    }

    /// <summary>Either the project to use (<see cref="Existed"/> tells whether it was there before) or the project holding the name.</summary>
    private sealed record Claim(OneDevProject? Project, bool Existed, OneDevProject? Holder);
}
