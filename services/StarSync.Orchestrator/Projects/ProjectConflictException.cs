using StarSync.ServiceDefaults;

namespace StarSync.Orchestrator.Projects;

/// <summary>The repository's OneDev path is taken and <see cref="ProjectsOptions.ConflictPolicy"/> forbids using it.</summary>
internal sealed class ProjectConflictException(string message) : PermanentFailureException(message);
