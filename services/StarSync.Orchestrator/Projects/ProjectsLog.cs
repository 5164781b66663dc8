using Microsoft.Extensions.Logging;

namespace StarSync.Orchestrator.Projects;

/// <summary>Logging for OneDev project creation; EventIds 2100–2199.</summary>
internal static partial class ProjectsLog
{
    [LoggerMessage(2100, LogLevel.Information, "OneDev project {ProjectPath} (#{ProjectId}) already mirrors {Repository}")]
    public static partial void ProjectFound(this ILogger logger, string projectPath, long projectId, string repository);

    [LoggerMessage(2101, LogLevel.Information, "Created OneDev project {ProjectPath} (#{ProjectId}) for {Repository}")]
    public static partial void ProjectCreated(this ILogger logger, string projectPath, long projectId, string repository);

    [LoggerMessage(2102, LogLevel.Information, "Created OneDev parent project {ProjectPath} (#{ProjectId})")]
    public static partial void ParentCreated(this ILogger logger, string projectPath, long projectId);

    [LoggerMessage(2103, LogLevel.Warning, "Adopting existing OneDev project {ProjectPath} (#{ProjectId}), which StarSync did not create, as the mirror of {Repository}")]
    public static partial void ProjectAdopted(this ILogger logger, string projectPath, long projectId, string repository);

    [LoggerMessage(2104, LogLevel.Warning, "OneDev project {ProjectPath} is taken by a project that is not the mirror of {Repository}; trying {Alternative}")]
    public static partial void ProjectNameTaken(this ILogger logger, string projectPath, string repository, string alternative);

    [LoggerMessage(2105, LogLevel.Debug, "OneDev project {ProjectPath} was created concurrently; looking it up again")]
    public static partial void ConcurrentlyCreated(this ILogger logger, string projectPath);

    [LoggerMessage(2106, LogLevel.Warning, "Could not make the OneDev project for {Repository} (transient: {Transient}): {Reason}")]
    public static partial void ProjectCreationFailed(this ILogger logger, string repository, bool transient, string reason);

    [LoggerMessage(2120, LogLevel.Information, "OneDev project {ProjectId} of {Repository}: {Action}")]
    public static partial void ProjectRetired(this ILogger logger, long projectId, string repository, string action);

    [LoggerMessage(2121, LogLevel.Warning, "OneDev refused to retire project {ProjectId} of {Repository}: {Reason}")]
    public static partial void ProjectRetireRefused(this ILogger logger, long projectId, string repository, string reason);

    [LoggerMessage(2130, LogLevel.Warning,
        "OneDev could run the jobs of a build spec pushed into a mirror project such as '{ProjectPath}': {Reason}. "
        + "Mirrors refuse build specs unless their policy allows it (default {Policy}). To keep even those from running, "
        + "put mirrors under a parent (Projects:NameTemplate github/{{owner}}/{{repo}}) and give every job executor the job "
        + "requirement \"Project\" is not \"github/**\" (Administration > Job Executors).")]
    public static partial void JobExecutorsExposeMirrors(this ILogger logger, string projectPath, string reason, string policy);

    [LoggerMessage(2131, LogLevel.Information, "OneDev's job executors exclude mirror projects such as '{ProjectPath}'")]
    public static partial void JobExecutorsIsolated(this ILogger logger, string projectPath);

    [LoggerMessage(2132, LogLevel.Information, "Could not check OneDev's job executors for mirror projects: {Reason}")]
    public static partial void JobExecutorsUnreadable(this ILogger logger, string reason);
}
