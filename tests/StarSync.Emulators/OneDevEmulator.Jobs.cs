using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace StarSync.Emulators;

/// <summary>
/// What OneDev's build machinery would do with a push, and its job executor settings. OneDev fires a ref-updated
/// event for every ref a push creates or moves; a job in the pushed commit's <c>.onedev-buildspec.yml</c> whose
/// trigger matches then runs, on a discovered executor if none is defined. The emulator runs nothing: it records
/// each such push in <see cref="JobTriggers"/>, so tests can assert that StarSync never set one off.
/// </summary>
public sealed partial class OneDevEmulator
{
    /// <summary>The file OneDev reads a project's jobs from, at the root of a commit.</summary>
    public const string BuildSpecPath = ".onedev-buildspec.yml";

    private readonly ConcurrentQueue<JobTrigger> _jobTriggers = new();

    /// <summary>Every ref a push created or moved to a commit that carries a build spec, in push order.</summary>
    public IReadOnlyCollection<JobTrigger> JobTriggers => _jobTriggers;

    /// <summary>
    /// The server's job executors as <c>GET /~api/settings/job-executors</c> serves them (administrators only):
    /// none by default, as on a fresh server (which then auto-discovers one). Set it up before the test runs.
    /// </summary>
    public List<EmulatedJobExecutor> JobExecutors { get; } = [];

    /// <summary>When false, the settings endpoint answers as to a user who is not an administrator.</summary>
    public bool TokenIsAdministrator { get; set; } = true;

    private static Dictionary<string, string> RefTips(string bareDirectory)
    {
        if (!Directory.Exists(bareDirectory))
        {
            return [];
        }
        return GitCommand.Run(bareDirectory, "for-each-ref", "--format=%(objectname) %(refname)", "refs/heads/", "refs/tags/")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 2))
            .ToDictionary(parts => parts[1], parts => parts[0], StringComparer.Ordinal);
    }

    private void RecordJobTriggers(string projectPath, string bareDirectory, Dictionary<string, string> before)
    {
        foreach (var (name, tip) in RefTips(bareDirectory))
        {
            if (before.TryGetValue(name, out var old) && old == tip)
            {
                continue;
            }
            // An empty build spec defines no jobs.
            var (exitCode, size, _) = GitCommand.TryRun(bareDirectory, "cat-file", "-s", $"{tip}:{BuildSpecPath}");
            if (exitCode == 0 && size.Trim() != "0")
            {
                _jobTriggers.Enqueue(new JobTrigger(projectPath, name, tip));
            }
        }
    }

    private async Task GetJobExecutorsAsync(HttpContext http)
    {
        if (!TokenIsAdministrator)
        {
            // SettingResource throws UnauthorizedException for a non-administrator.
            await HttpResults.TextAsync(http, 401, "Unauthorized access");
            return;
        }
        var list = new JsonArray();
        foreach (var executor in JobExecutors)
        {
            list.Add(new JsonObject
            {
                ["@class"] = "io.onedev.server.plugin.executor.servershell.ServerShellExecutor",
                ["enabled"] = executor.Enabled,
                ["name"] = executor.Name,
                ["jobRequirement"] = executor.JobRequirement,
                ["shellAccessEnabled"] = false,
                ["htmlReportPublishEnabled"] = false,
                ["sitePublishEnabled"] = false,
            });
        }
        await HttpResults.TextAsync(http, 200, JacksonJson.Write(list), "application/json");
    }
}

/// <summary>A push that would have made OneDev run the jobs of <paramref name="Commit"/>'s build spec.</summary>
public sealed record JobTrigger(string ProjectPath, string Ref, string Commit);

/// <summary>A job executor of the emulated server; <paramref name="JobRequirement"/> null means "any job".</summary>
public sealed record EmulatedJobExecutor(string Name, string? JobRequirement, bool Enabled = true);
