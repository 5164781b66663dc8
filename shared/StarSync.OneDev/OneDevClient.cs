using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace StarSync.OneDev;

/// <summary>
/// Typed client for OneDev's REST API (<c>/~api</c>, OneDev 12.0.1+). Register it with
/// <see cref="OneDevServiceCollectionExtensions.AddOneDevClient"/>, which sets the base address, the
/// <c>Authorization: Bearer</c> header and the timeout. Every failure surfaces as <see cref="OneDevException"/>
/// (cancellation through <c>ct</c> stays an <see cref="OperationCanceledException"/>).
/// </summary>
public sealed class OneDevClient(HttpClient http)
{
    /// <summary>OneDev's largest page for non-admin users (<c>RestConstants.MAX_PAGE_SIZE</c>).</summary>
    private const int PageSize = 100;

    /// <summary>How many pages a query may read before the client gives up (10 000 projects).</summary>
    private const int MaxPages = 100;

    private const int MaxBodyInMessage = 300;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// The project whose path equals <paramref name="path"/> (case-insensitive, as OneDev compares), or null.
    /// Uses the query <c>"Path" is "..."</c>, which works on every OneDev version StarSync supports.
    /// </summary>
    public async Task<OneDevProject?> FindProjectByPathAsync(string path, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string query = $"\"Path\" is {QuoteQueryValue(path)}";
        // "Path" is a wildcard match ('*' is special), so the answer may hold more than the exact project.
        await foreach (OneDevProject project in QueryAsync(query, $"look up project '{path}'", ct).ConfigureAwait(false))
        {
            if (string.Equals(project.Path, path, StringComparison.OrdinalIgnoreCase))
            {
                return project;
            }
        }

        return null;
    }

    /// <summary>The direct children of the project at <paramref name="parentPath"/> (query <c>children of "..."</c>).</summary>
    public async Task<IReadOnlyList<OneDevProject>> FindChildrenAsync(string parentPath, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(parentPath);
        List<OneDevProject> children = [];
        await foreach (OneDevProject project in QueryAsync($"children of {QuoteQueryValue(parentPath)}", $"list the children of '{parentPath}'", ct).ConfigureAwait(false))
        {
            children.Add(project);
        }

        return children;
    }

    /// <summary>
    /// All projects matching a OneDev project query, e.g. <c>"Path" is "github/*"</c> (read page by page). Quote
    /// values with <see cref="QuoteQueryValue"/>.
    /// </summary>
    public async Task<IReadOnlyList<OneDevProject>> QueryProjectsAsync(string query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        List<OneDevProject> projects = [];
        await foreach (OneDevProject project in QueryAsync(query, $"query projects ({query})", ct).ConfigureAwait(false))
        {
            projects.Add(project);
        }

        return projects;
    }

    /// <summary>
    /// Creates a project and returns its id. A name already used under the same parent fails with
    /// <see cref="OneDevException.IsNameConflict"/> set.
    /// </summary>
    public async Task<long> CreateProjectAsync(NewOneDevProject project, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentException.ThrowIfNullOrWhiteSpace(project.Name);
        var body = new ProjectDataRequest(
            ParentId: project.ParentId,
            ForkedFromId: null,
            Name: project.Name,
            Key: null,
            Description: project.Description,
            CodeManagement: project.CodeManagement,
            PackManagement: project.PackManagement,
            IssueManagement: project.IssueManagement,
            TimeTracking: project.TimeTracking,
            ServiceDeskEmailAddress: null,
            GitPackConfig: EmptyObject(),
            CodeAnalysisSetting: EmptyObject());
        string operation = $"create project '{project.Name}'" + (project.ParentId is { } parent ? $" under project #{parent}" : " at the root");
        using HttpRequestMessage request = new(HttpMethod.Post, "~api/projects") { Content = JsonContent.Create(body, options: Json) };
        string text = await SendForTextAsync(request, operation, ct).ConfigureAwait(false);
        return ParseId(text, operation);
    }

    /// <summary>The project with this id; a missing project fails with status 404 (or 403 for non-admins).</summary>
    public async Task<OneDevProject> GetProjectAsync(long id, CancellationToken ct)
    {
        string operation = $"read project #{id}";
        using HttpRequestMessage request = new(HttpMethod.Get, $"~api/projects/{id}");
        return await SendForJsonAsync<OneDevProject>(request, operation, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Replaces the project's basic settings (<c>POST /~api/projects/{id}</c> is a full replace: read the project
    /// first, change it with <c>with</c>, then pass it here).
    /// </summary>
    public async Task UpdateProjectAsync(OneDevProject project, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(project);
        var body = new ProjectDataRequest(
            ParentId: project.ParentId,
            ForkedFromId: project.ForkedFromId,
            Name: project.Name,
            Key: project.Key,
            Description: project.Description,
            CodeManagement: project.CodeManagement,
            PackManagement: project.PackManagement,
            IssueManagement: project.IssueManagement,
            TimeTracking: project.TimeTracking,
            ServiceDeskEmailAddress: project.ServiceDeskEmailAddress,
            GitPackConfig: project.GitPackConfig is { ValueKind: JsonValueKind.Object } g ? g : EmptyObject(),
            CodeAnalysisSetting: project.CodeAnalysisSetting is { ValueKind: JsonValueKind.Object } c ? c : EmptyObject());
        using HttpRequestMessage request = new(HttpMethod.Post, $"~api/projects/{project.Id}") { Content = JsonContent.Create(body, options: Json) };
        _ = await SendForTextAsync(request, $"update project #{project.Id} ('{project.Path}')", ct).ConfigureAwait(false);
    }

    /// <summary>Deletes the project and, recursively, all its children.</summary>
    public async Task DeleteProjectAsync(long id, CancellationToken ct)
    {
        using HttpRequestMessage request = new(HttpMethod.Delete, $"~api/projects/{id}");
        _ = await SendForTextAsync(request, $"delete project #{id}", ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The server's job executors (<c>GET /~api/settings/job-executors</c>), or null when the token may not read
    /// them (administrators only: OneDev answers 401 or 403 to anyone else).
    /// </summary>
    public async Task<IReadOnlyList<OneDevJobExecutor>?> GetJobExecutorsAsync(CancellationToken ct)
    {
        using HttpRequestMessage request = new(HttpMethod.Get, "~api/settings/job-executors");
        try
        {
            return await SendForJsonAsync<List<OneDevJobExecutor>>(request, "read the job executor settings", ct).ConfigureAwait(false);
        }
        catch (OneDevException ex) when (ex.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return null;
        }
    }

    /// <summary>The project's git-over-HTTP URL, e.g. <c>https://onedev.example.com/github/fastapi.git</c> (no credentials).</summary>
    public async Task<string> GetHttpCloneUrlAsync(long id, CancellationToken ct)
    {
        string operation = $"read the clone URL of project #{id}";
        using HttpRequestMessage request = new(HttpMethod.Get, $"~api/projects/{id}/clone-url");
        CloneUrlResponse urls = await SendForJsonAsync<CloneUrlResponse>(request, operation, ct).ConfigureAwait(false);
        return string.IsNullOrWhiteSpace(urls.Http)
            ? throw new OneDevException($"OneDev answered without an http clone URL when asked to {operation}.", HttpStatusCode.OK, isTransient: false)
            : urls.Http;
    }

    /// <summary>The project's default branch, or null when the repository has none yet (204).</summary>
    public async Task<string?> GetDefaultBranchAsync(long projectId, CancellationToken ct)
    {
        using HttpRequestMessage request = new(HttpMethod.Get, $"~api/repositories/{projectId}/default-branch");
        string text = (await SendForTextAsync(request, $"read the default branch of project #{projectId}", ct).ConfigureAwait(false)).Trim();
        // OneDev writes the bare name; accept a JSON string too in case a proxy or version quotes it.
        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
        {
            text = JsonSerializer.Deserialize<string>(text, Json) ?? "";
        }

        return text.Length == 0 ? null : text;
    }

    /// <summary>Points HEAD of the project's repository at <paramref name="branch"/> (which must exist).</summary>
    public async Task SetDefaultBranchAsync(long projectId, string branch, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(branch);
        using HttpRequestMessage request = new(HttpMethod.Post, $"~api/repositories/{projectId}/default-branch")
        {
            Content = JsonContent.Create(branch, options: Json),
        };
        _ = await SendForTextAsync(request, $"set the default branch of project #{projectId} to '{branch}'", ct).ConfigureAwait(false);
    }

    /// <summary>Quotes a value for OneDev's query language: backslashes and double quotes are backslash-escaped.</summary>
    public static string QuoteQueryValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    private async IAsyncEnumerable<OneDevProject> QueryAsync(
        string query,
        string operation,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        for (int page = 0; page < MaxPages; page++)
        {
            string uri = string.Create(
                CultureInfo.InvariantCulture,
                $"~api/projects?query={Uri.EscapeDataString(query)}&offset={page * PageSize}&count={PageSize}");
            using HttpRequestMessage request = new(HttpMethod.Get, uri);
            OneDevProject[] projects = await SendForJsonAsync<OneDevProject[]>(request, operation, ct).ConfigureAwait(false);
            foreach (OneDevProject project in projects)
            {
                yield return project;
            }

            if (projects.Length < PageSize)
            {
                yield break;
            }
        }

        throw new OneDevException($"OneDev returned more than {MaxPages * PageSize} projects when asked to {operation}.", HttpStatusCode.OK, isTransient: false);
    }

    private async Task<T> SendForJsonAsync<T>(HttpRequestMessage request, string operation, CancellationToken ct)
    {
        string text = await SendForTextAsync(request, operation, ct).ConfigureAwait(false);
        try
        {
            return JsonSerializer.Deserialize<T>(text, Json)
                ?? throw new OneDevException($"OneDev answered 'null' when asked to {operation}.", HttpStatusCode.OK, isTransient: false);
        }
        catch (JsonException ex)
        {
            throw new OneDevException(
                $"OneDev's answer was not the expected JSON when asked to {operation} (is OneDev:Url pointing at OneDev 12.0.1 or later?): {Snippet(text)}",
                HttpStatusCode.OK,
                isTransient: false,
                innerException: ex);
        }
    }

    /// <summary>Sends the request; returns the body of a 2xx answer, or throws a classified <see cref="OneDevException"/>.</summary>
    private async Task<string> SendForTextAsync(HttpRequestMessage request, string operation, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            // HttpClient.Timeout (OneDev:RequestTimeout) elapsed.
            throw new OneDevException($"OneDev did not answer in time when asked to {operation} (timeout {FormatTimeout(http.Timeout)}).", null, isTransient: true, innerException: ex);
        }
        catch (HttpRequestException ex)
        {
            throw new OneDevException($"OneDev could not be reached when asked to {operation}: {ex.Message}", ex.StatusCode, isTransient: true, innerException: ex);
        }

        using (response)
        {
            string body;
            try
            {
                body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
            {
                throw new OneDevException($"OneDev did not finish its answer in time when asked to {operation}.", response.StatusCode, isTransient: true, innerException: ex);
            }
            catch (HttpRequestException ex)
            {
                throw new OneDevException($"OneDev's answer was cut off when asked to {operation}: {ex.Message}", response.StatusCode, isTransient: true, innerException: ex);
            }

            if (response.IsSuccessStatusCode)
            {
                return body;
            }

            throw Classify(response.StatusCode, body, operation);
        }
    }

    private static OneDevException Classify(HttpStatusCode status, string body, string operation)
    {
        string answer = $"{(int)status} {Snippet(body)}".TrimEnd();
        return status switch
        {
            HttpStatusCode.Unauthorized =>
                new($"OneDev rejected the access token ({answer}) when asked to {operation}; check OneDev:Token.", status, isTransient: false),
            HttpStatusCode.Forbidden =>
                new($"OneDev refused to {operation}: the access token lacks the permission ({answer}); it needs owner permissions and the right to create projects.", status, isTransient: false),
            HttpStatusCode.NotFound =>
                new($"OneDev could not {operation}: not found ({answer}).", status, isTransient: false),
            HttpStatusCode.InternalServerError when body.Contains("is already used by another", StringComparison.Ordinal) =>
                new($"OneDev could not {operation}: the name is taken ({answer}).", status, isTransient: false, isNameConflict: true),
            HttpStatusCode.InternalServerError when body.StartsWith("Field not found", StringComparison.Ordinal) || body.Contains("is not applicable", StringComparison.Ordinal) =>
                new($"OneDev rejected the request to {operation} ({answer}).", status, isTransient: false),
            >= HttpStatusCode.InternalServerError =>
                new($"OneDev failed to {operation} ({answer}); will retry.", status, isTransient: true),
            HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests =>
                new($"OneDev asked to slow down when asked to {operation} ({answer}).", status, isTransient: true),
            _ =>
                new($"OneDev rejected the request to {operation} ({answer}).", status, isTransient: false),
        };
    }

    private static long ParseId(string text, string operation)
    {
        return long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long id)
            ? id
            : throw new OneDevException($"OneDev answered '{Snippet(text)}' instead of a project id when asked to {operation}.", HttpStatusCode.OK, isTransient: false);
    }

    /// <summary>The first line of a text/plain error body, bounded; OneDev's error bodies carry no credentials.</summary>
    private static string Snippet(string body)
    {
        string trimmed = body.Trim();
        int newline = trimmed.IndexOfAny(['\r', '\n']);
        if (newline >= 0)
        {
            trimmed = trimmed[..newline];
        }

        if (trimmed.Length > MaxBodyInMessage)
        {
            trimmed = trimmed[..MaxBodyInMessage] + "…";
        }

        StringBuilder sb = new(trimmed.Length);
        foreach (char c in trimmed)
        {
            sb.Append(char.IsControl(c) ? ' ' : c);
        }

        return sb.ToString();
    }

    private static string FormatTimeout(TimeSpan timeout)
    {
        return timeout == Timeout.InfiniteTimeSpan ? "none" : timeout.ToString("c", CultureInfo.InvariantCulture);
    }

    private static JsonElement EmptyObject()
    {
        using JsonDocument doc = JsonDocument.Parse("{}");
        return doc.RootElement.Clone();
    }

    /// <summary>Exactly the writable <c>ProjectData</c> fields (unknown fields are likely rejected with 400).</summary>
    private sealed record ProjectDataRequest(
        long? ParentId,
        long? ForkedFromId,
        string Name,
        string? Key,
        string? Description,
        bool CodeManagement,
        bool PackManagement,
        bool IssueManagement,
        bool TimeTracking,
        string? ServiceDeskEmailAddress,
        JsonElement GitPackConfig,
        JsonElement CodeAnalysisSetting);

    private sealed record CloneUrlResponse(string? Http, string? Ssh);
}
