using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

using Microsoft.AspNetCore.Http;

namespace StarSync.Emulators;

public sealed partial class OneDevEmulator
{
    private const string Json = "application/json";
    private const int MaxDescriptionLength = 15000;
    private static readonly string[] ListParams = ["query", "offset", "count"];

    private async Task HandleRestAsync(HttpContext http, string route)
    {
        // Shiro filters run first: bad credentials fail before anything else; then AnonymousCheckFilter.
        var credentials = Authenticate(http.Request);
        if (credentials.IsInvalid)
        {
            await HttpResults.TextAsync(http, 401, "Invalid account or incorrect credentials");
            return;
        }

        if (credentials.Principal is not { } principal)
        {
            // Anonymous writes always fail; anonymous reads fail because anonymous access is disabled.
            await HttpResults.TextAsync(http, 401, "Not authenticated");
            return;
        }

        var method = http.Request.Method;
        var segments = route.TrimEnd('/').Split('/');
        switch (segments)
        {
            case ["projects"] when method == "GET":
                await ListProjectsAsync(http, principal);
                return;
            case ["settings", "job-executors"] when method == "GET":
                await GetJobExecutorsAsync(http);
                return;
            case ["projects"] when method == "POST":
                await CreateProjectAsync(http, principal);
                return;
            case ["projects", "ids", ..] when method == "GET" && segments.Length > 2:
                await ProjectIdByPathAsync(http, principal, string.Join('/', segments[2..]));
                return;
            case ["projects", var id] when TryId(id, out var projectId):
                switch (method)
                {
                    case "GET":
                        await GetProjectAsync(http, principal, projectId);
                        return;
                    case "POST":
                        await UpdateProjectAsync(http, principal, projectId);
                        return;
                    case "DELETE":
                        await DeleteProjectAsync(http, principal, projectId);
                        return;
                }

                break;
            case ["projects", var id, "clone-url"] when method == "GET" && TryId(id, out var projectId):
                await CloneUrlAsync(http, principal, projectId);
                return;
            case ["users", "me"] when method == "GET":
                await MeAsync(http, principal);
                return;
            case ["version", "server"] when method == "GET":
                await HttpResults.TextAsync(http, 200, ServerVersion, "text/plain");
                return;
            case ["repositories", var id, "default-branch"] when TryId(id, out var projectId) && method is "GET" or "POST":
                await DefaultBranchAsync(http, principal, projectId);
                return;
            case ["repositories", var id, "branches" or "tags"] when method == "GET" && TryId(id, out var projectId):
                await RefsAsync(http, principal, projectId, segments[2] == "branches");
                return;
        }

        await HttpResults.TextAsync(http, 404, "Not found");
    }

    private static bool TryId(string text, out long id) => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id);

    private async Task ListProjectsAsync(HttpContext http, TokenEntry principal)
    {
        var query = http.Request.Query;
        var missing = new[] { "offset", "count" }.Where(p => !query.ContainsKey(p)).ToList();
        if (missing.Count > 0)
        {
            await HttpResults.TextAsync(http, 406, $"Missing query params: [{string.Join(", ", missing)}]");
            return;
        }

        var unexpected = query.Keys.Where(k => !ListParams.Contains(k, StringComparer.Ordinal)).ToList();
        if (unexpected.Count > 0)
        {
            await HttpResults.TextAsync(http, 406, $"Unexpected query params: [{string.Join(", ", unexpected)}]");
            return;
        }

        // Primitive int params that fail to convert make JAX-RS answer 404.
        if (!int.TryParse(query["offset"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var offset)
            || !int.TryParse(query["count"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var count))
        {
            await HttpResults.TextAsync(http, 404, "Not found");
            return;
        }

        if (count > 100)
        {
            await HttpResults.TextAsync(http, 406, "Count should not be greater than 100");
            return;
        }

        OneDevProjectQuery parsed;
        try
        {
            parsed = OneDevProjectQuery.Parse(query["query"].ToString());
        }
        catch (OneDevQueryException e)
        {
            await HttpResults.TextAsync(http, e.StatusCode, e.Message);
            return;
        }

        JsonArray result;
        lock (_gate)
        {
            var rows = principal.OwnerPermissions ? _projects.Values.Select(Row).ToList() : [];
            result = [.. parsed.Apply(rows).Skip(Math.Max(offset, 0)).Take(Math.Max(count, 0)).Select(r => ProjectData(_projects[r.Project.Id]))];
        }

        await HttpResults.TextAsync(http, 200, JacksonJson.Write(result), Json);
    }

    private OneDevProjectRow Row(ProjectEntry p) => new(
        Snapshot(p),
        p.ParentId is long parentId && _projects.TryGetValue(parentId, out var parent) ? PathOf(parent) : null,
        p.ForkedFromId is long forkId && _projects.TryGetValue(forkId, out var fork) ? PathOf(fork) : null,
        !_projects.Values.Any(c => c.ParentId == p.Id),
        p.LastActivityDate);

    private async Task CreateProjectAsync(HttpContext http, TokenEntry principal)
    {
        Interlocked.Increment(ref _createProjectCalls);
        if (!await CheckJsonContentTypeAsync(http))
        {
            return;
        }

        var input = OneDevProjectInput.Parse(await HttpResults.ReadBodyAsync(http), "createProject", out var error);
        if (input is null)
        {
            await HttpResults.TextAsync(http, 400, error!);
            return;
        }

        int status;
        string body;
        lock (_gate)
        {
            (status, body) = CreateProjectLocked(input, principal);
        }

        await HttpResults.TextAsync(http, status, body, status == 200 ? Json : "text/plain; charset=utf-8");
    }

    private (int Status, string Body) CreateProjectLocked(OneDevProjectInput input, TokenEntry principal)
    {
        ProjectEntry? parent = null;
        if (input.ParentId is long parentId && !_projects.TryGetValue(parentId, out parent))
        {
            return (404, NoRow(parentId));
        }

        if (input.ForkedFromId is long forkId && !_projects.ContainsKey(forkId))
        {
            return (404, NoRow(forkId));
        }

        if (!principal.OwnerPermissions)
        {
            return (403, parent is null ? "Not authorized to create root project" : $"Not authorized to create project under '{PathOf(parent)}'");
        }

        if (DuplicateNameMessage(input.Name!, parent, exceptId: null) is { } duplicate)
        {
            return (500, duplicate);
        }

        var now = DateTimeOffset.UtcNow;
        var project = new ProjectEntry
        {
            Id = _nextProjectId++,
            Name = input.Name!,
            CreateDate = now,
            LastActivityDate = now,
        };
        Apply(project, input);
        var directory = RepositoryDirectory(project.Id);
        GitCommand.InitBare(directory, "main");
        GitCommand.Run(directory, "config", "uploadpack.allowAnySHA1InWant", "true");
        GitCommand.Run(directory, "config", "diff.algorithm", "histogram");
        _projects[project.Id] = project;
        return (200, project.Id.ToString(CultureInfo.InvariantCulture));
    }

    private static void Apply(ProjectEntry project, OneDevProjectInput input)
    {
        project.ParentId = input.ParentId;
        project.Name = input.Name!;
        project.Key = input.Key;
        project.Description = input.Description is { Length: > MaxDescriptionLength } d ? d[..MaxDescriptionLength] : input.Description;
        project.CodeManagement = input.CodeManagement;
        project.PackManagement = input.PackManagement;
        project.IssueManagement = input.IssueManagement;
        project.TimeTracking = input.TimeTracking;
        project.ForkedFromId = input.ForkedFromId;
        project.ServiceDeskEmailAddress = input.ServiceDeskEmailAddress;
        project.GitPackConfig = input.GitPackConfig!;
        project.AnalysisFiles = input.AnalysisFiles;
    }

    private string? DuplicateNameMessage(string name, ProjectEntry? parent, long? exceptId)
    {
        var parentId = parent?.Id;
        var taken = _projects.Values.Any(p => p.ParentId == parentId && p.Id != exceptId && string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
        if (!taken)
        {
            return null;
        }

        return parent is null
            ? $"Name '{name}' is already used by another root project"
            : $"Name '{name}' is already used by another project under '{PathOf(parent)}'";
    }

    private static string NoRow(long id) => $"No row with the given identifier exists: [io.onedev.server.model.Project#{id}]";

    private async Task<bool> CheckJsonContentTypeAsync(HttpContext http)
    {
        var contentType = http.Request.ContentType;
        if (contentType is not null && contentType.Split(';')[0].Trim().Equals(Json, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        await HttpResults.TextAsync(http, 415, "HTTP 415 Unsupported Media Type");
        return false;
    }

    private async Task ProjectIdByPathAsync(HttpContext http, TokenEntry principal, string path)
    {
        string? id;
        lock (_gate)
        {
            id = principal.OwnerPermissions ? FindByPath(path)?.Id.ToString(CultureInfo.InvariantCulture) : null;
        }

        if (id is null)
        {
            await HttpResults.TextAsync(http, 404, "Project not found or inaccessible: " + path);
            return;
        }

        await HttpResults.TextAsync(http, 200, id, Json);
    }

    /// <summary>Looks a project up for an endpoint that needs access to it; writes the error answer when there is none.</summary>
    private async Task<ProjectEntry?> RequireProjectAsync(HttpContext http, TokenEntry principal, long projectId)
    {
        ProjectEntry? project;
        lock (_gate)
        {
            project = _projects.GetValueOrDefault(projectId);
        }

        if (project is null)
        {
            await HttpResults.TextAsync(http, 404, NoRow(projectId));
            return null;
        }

        if (!principal.OwnerPermissions)
        {
            await HttpResults.TextAsync(http, 403, "Not authorized");
            return null;
        }

        return project;
    }

    private async Task GetProjectAsync(HttpContext http, TokenEntry principal, long projectId)
    {
        if (await RequireProjectAsync(http, principal, projectId) is not { } project)
        {
            return;
        }

        string body;
        lock (_gate)
        {
            body = JacksonJson.Write(ProjectData(project));
        }

        await HttpResults.TextAsync(http, 200, body, Json);
    }

    private async Task UpdateProjectAsync(HttpContext http, TokenEntry principal, long projectId)
    {
        if (!await CheckJsonContentTypeAsync(http))
        {
            return;
        }

        var input = OneDevProjectInput.Parse(await HttpResults.ReadBodyAsync(http), "updateProject", out var error);
        if (input is null)
        {
            await HttpResults.TextAsync(http, 400, error!);
            return;
        }

        if (await RequireProjectAsync(http, principal, projectId) is not { } project)
        {
            return;
        }

        int status;
        string body;
        lock (_gate)
        {
            (status, body) = UpdateProjectLocked(project, input);
        }

        if (status == 200)
        {
            await HttpResults.EmptyAsync(http, 200);
            return;
        }

        await HttpResults.TextAsync(http, status, body);
    }

    private (int Status, string Body) UpdateProjectLocked(ProjectEntry project, OneDevProjectInput input)
    {
        ProjectEntry? parent = null;
        if (input.ParentId is long parentId)
        {
            if (!_projects.TryGetValue(parentId, out parent))
            {
                return (404, NoRow(parentId));
            }

            for (var ancestor = parent; ancestor is not null; ancestor = ancestor.ParentId is long a ? _projects.GetValueOrDefault(a) : null)
            {
                if (ancestor.Id == project.Id)
                {
                    return (500, "Cannot use current or descendant project as parent");
                }
            }
        }

        if (DuplicateNameMessage(input.Name!, parent, exceptId: project.Id) is { } duplicate)
        {
            return (500, duplicate);
        }

        Apply(project, input);
        return (200, string.Empty);
    }

    private async Task DeleteProjectAsync(HttpContext http, TokenEntry principal, long projectId)
    {
        if (await RequireProjectAsync(http, principal, projectId) is null)
        {
            return;
        }

        var removed = new List<long>();
        lock (_gate)
        {
            var pending = new Stack<long>([projectId]);
            while (pending.TryPop(out var id))
            {
                if (_projects.Remove(id))
                {
                    removed.Add(id);
                    foreach (var child in _projects.Values.Where(p => p.ParentId == id))
                    {
                        pending.Push(child.Id);
                    }
                }
            }
        }

        foreach (var id in removed)
        {
            var directory = RepositoryDirectory(id);
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        await HttpResults.EmptyAsync(http, 200);
    }

    private async Task CloneUrlAsync(HttpContext http, TokenEntry principal, long projectId)
    {
        if (await RequireProjectAsync(http, principal, projectId) is not { } project)
        {
            return;
        }

        string path;
        lock (_gate)
        {
            path = PathOf(project);
        }

        var body = new JsonObject
        {
            ["http"] = BaseUrl + path + ".git",
            ["ssh"] = $"ssh://{BaseUrl.Host}:6611/{path}.git",
        };
        await HttpResults.TextAsync(http, 200, JacksonJson.Write(body), Json);
    }

    private async Task MeAsync(HttpContext http, TokenEntry principal)
    {
        if (!principal.OwnerPermissions)
        {
            // Token principals without owner permissions are not users (getAuthUser() is null).
            await HttpResults.TextAsync(http, 403, "Not authorized");
            return;
        }

        var body = new JsonObject
        {
            ["id"] = 1,
            ["disabled"] = false,
            ["type"] = "ORDINARY",
            ["name"] = principal.UserName,
            ["fullName"] = "Administrator",
            ["notifyOwnEvents"] = false,
        };
        await HttpResults.TextAsync(http, 200, JacksonJson.Write(body), Json);
    }

    private async Task DefaultBranchAsync(HttpContext http, TokenEntry principal, long projectId)
    {
        if (await RequireProjectAsync(http, principal, projectId) is null)
        {
            return;
        }

        var directory = RepositoryDirectory(projectId);
        if (http.Request.Method == "GET")
        {
            var head = GitCommand.HeadBranch(directory);
            if (head is null || !GitCommand.Branches(directory).Contains(head, StringComparer.Ordinal))
            {
                await HttpResults.EmptyAsync(http, 204);
                return;
            }

            // The raw branch name, not a JSON string (gickup reads the raw body).
            await HttpResults.TextAsync(http, 200, head, Json);
            return;
        }

        if (!await CheckJsonContentTypeAsync(http))
        {
            return;
        }

        string? branch;
        try
        {
            using var document = JsonDocument.Parse(await HttpResults.ReadBodyAsync(http));
            branch = document.RootElement.ValueKind == JsonValueKind.String ? document.RootElement.GetString() : null;
        }
        catch (JsonException)
        {
            branch = null;
        }

        if (string.IsNullOrWhiteSpace(branch))
        {
            await HttpResults.TextAsync(http, 400, "Default branch should be a JSON string");
            return;
        }

        // Inferred, not confirmed in the spec: OneDev refuses a default branch that does not exist.
        if (!GitCommand.Branches(directory).Contains(branch, StringComparer.Ordinal))
        {
            await HttpResults.TextAsync(http, 404, "Branch not found: " + branch);
            return;
        }

        GitCommand.SetHead(directory, branch);
        await HttpResults.EmptyAsync(http, 200);
    }

    private async Task RefsAsync(HttpContext http, TokenEntry principal, long projectId, bool branches)
    {
        if (await RequireProjectAsync(http, principal, projectId) is null)
        {
            return;
        }

        var directory = RepositoryDirectory(projectId);
        var names = branches
            ? GitCommand.Branches(directory)
            : GitCommand.Run(directory, "for-each-ref", "--format=%(refname:strip=2)", "refs/tags/").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        JsonArray array = [.. names.Select(n => (JsonNode?)JsonValue.Create(n))];
        await HttpResults.TextAsync(http, 200, JacksonJson.Write(array), Json);
    }

    private JsonObject ProjectData(ProjectEntry p) => new()
    {
        ["id"] = p.Id,
        ["parentId"] = p.ParentId,
        ["forkedFromId"] = p.ForkedFromId,
        ["name"] = p.Name,
        ["key"] = p.Key,
        ["path"] = PathOf(p),
        ["description"] = p.Description,
        ["createDate"] = p.CreateDate.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
        ["codeManagement"] = p.CodeManagement,
        ["packManagement"] = p.PackManagement,
        ["issueManagement"] = p.IssueManagement,
        ["timeTracking"] = p.TimeTracking,
        ["serviceDeskEmailAddress"] = p.ServiceDeskEmailAddress,
        ["gitPackConfig"] = new JsonObject(p.GitPackConfig.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        ["codeAnalysisSetting"] = new JsonObject { ["analysisFiles"] = p.AnalysisFiles },
    };
}
