using System.Text.RegularExpressions;
using Npgsql;
using StarSync.Testing;

namespace StarSync.EndToEnd.Soak;

/// <summary>
/// The soak's final invariants. For every upstream repository (by GitHub id): one saga, in Completed, that agrees with
/// GitHub on whether it is starred; at most one OneDev project carrying its marker; and, where the unstar policy keeps
/// the mirror current (starred, or the Keep policy), that project's heads and tags equal the upstream's. An archived
/// mirror carries the archive note; a deleted one has no project. No project holds an object id of another repository
/// (content is unique per repository), no project is a stranger, no saga is outside Completed/Failed (a Failed one is
/// a violation: the soak does nothing permanent), and every <c>_error</c> and <c>_skipped</c> queue is empty.
/// </summary>
internal static partial class SoakInvariants
{
    private const string ArchiveNote = "Archived by StarSync";

    public static async Task<SoakCheck> CheckAsync(StarSyncStack stack, TestServers servers,
        IReadOnlyList<SoakRepository> repositories, string unstarPolicy, bool full, CancellationToken ct)
    {
        var unsettled = new List<string>();
        var violations = new List<string>();
        var sagas = await ReadSagasAsync(stack.Postgres, ct);
        var states = sagas.Values.GroupBy(s => s.State).ToDictionary(g => g.Key, g => g.Count());
        foreach (var saga in sagas.Values)
        {
            if (saga.State is not ("Completed" or "Failed"))
            {
                unsettled.Add($"saga of github-id {saga.GitHubId} is {saga.State}: {saga.Status}");
            }
            else if (saga.ResyncRequested)
            {
                unsettled.Add($"saga of github-id {saga.GitHubId} has a sync queued");
            }
            if (saga.State == "Failed")
            {
                violations.Add($"the mirror of github-id {saga.GitHubId} ({saga.FullName}) is Failed: {saga.LastError}");
            }
        }
        foreach (var queue in await servers.RabbitMq.ListQueuesAsync(stack.VirtualHost, ct))
        {
            if (queue.Name.EndsWith("_error", StringComparison.Ordinal) || queue.Name.EndsWith("_skipped", StringComparison.Ordinal))
            {
                if (queue.Messages is > 0)
                {
                    var messages = await servers.RabbitMq.PeekMessagesAsync(stack.VirtualHost, queue.Name, 3, ct);
                    violations.Add($"{queue.Messages} message(s) in {queue.Name}, e.g. {string.Join(" | ", messages)}");
                }
            }
            else if (queue.Messages is not 0)
            {
                unsettled.Add($"queue {queue.Name} holds {queue.Messages?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "an unknown number of"} message(s)");
            }
        }
        if (!full && unsettled.Count > 0)
        {
            return new SoakCheck(unsettled, violations, 0, 0, 0, states);
        }

        var projects = stack.OneDev.Projects;
        var byRepository = new Dictionary<long, List<Emulators.EmulatedProject>>();
        foreach (var project in projects)
        {
            if (GitHubIdOf(project.Description) is not { } id)
            {
                violations.Add($"OneDev project {project.Path} is no StarSync mirror (description: {project.Description})");
                continue;
            }
            if (!byRepository.TryGetValue(id, out var list))
            {
                byRepository[id] = list = [];
            }
            list.Add(project);
        }

        var refsCompared = 0;
        var keepsCurrent = unstarPolicy == "Keep";
        foreach (var repository in repositories)
        {
            var own = byRepository.GetValueOrDefault(repository.Id) ?? [];
            if (own.Count > 1)
            {
                violations.Add($"{repository} has {own.Count} OneDev projects: {string.Join(", ", own.Select(p => p.Path))}");
            }
            if (!sagas.TryGetValue(repository.Id, out var saga))
            {
                violations.Add($"{repository} was starred but has no saga");
                continue;
            }
            if (saga.Starred != repository.Starred)
            {
                violations.Add($"{repository}: GitHub says {(repository.Starred ? "starred" : "not starred")}, the saga says {(saga.Starred ? "starred" : "not starred")} ({saga.Status})");
            }
            if (saga.UpstreamGoneReason is not null)
            {
                violations.Add($"{repository} is served by GitHub, but the saga marks it {saga.UpstreamGoneReason}");
            }
            if (repository.Starred || keepsCurrent)
            {
                if (own.Count == 0)
                {
                    violations.Add($"{repository} has no OneDev project (saga {saga.State}: {saga.Status})");
                    continue;
                }
                var project = own[0];
                if (!string.Equals(saga.ProjectPath, project.Path, StringComparison.OrdinalIgnoreCase) || saga.ProjectId != project.Id)
                {
                    violations.Add($"{repository}: the saga records project {saga.ProjectPath} ({saga.ProjectId}), its marker is on {project.Path} ({project.Id})");
                }
                if (repository.Starred && project.Description?.StartsWith(ArchiveNote, StringComparison.Ordinal) == true)
                {
                    violations.Add($"{repository} is starred, but its project {project.Path} still carries the archive note");
                }
                var expected = (await repository.Source.GetRefsAsync()).OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
                var actual = (await stack.OneDevRefsAsync(project.Path, ct)).OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
                refsCompared++;
                if (!expected.SequenceEqual(actual))
                {
                    violations.Add($"{repository}: the refs of {project.Path} differ from the upstream's ({saga.State}: {saga.Status}). "
                        + $"Missing or different: {string.Join(", ", expected.Except(actual).Select(r => $"{r.Key}={r.Value[..8]}"))}; "
                        + $"extra: {string.Join(", ", actual.Except(expected).Select(r => $"{r.Key}={r.Value[..8]}"))}");
                }
            }
            else if (unstarPolicy == "Archive")
            {
                if (saga.RetiredAction != "archived")
                {
                    violations.Add($"{repository} is unstarred under the Archive policy, but its saga is not archived ({saga.State}: {saga.Status})");
                }
                if (own.Count == 0)
                {
                    violations.Add($"{repository} is unstarred under the Archive policy, but it has no OneDev project");
                }
                else if (own[0].Description?.StartsWith(ArchiveNote, StringComparison.Ordinal) != true)
                {
                    violations.Add($"{repository} is unstarred under the Archive policy, but {own[0].Path} carries no archive note");
                }
            }
            else if (own.Count > 0 || saga.ProjectId is not null)
            {
                violations.Add($"{repository} is unstarred under the Delete policy, but its project {saga.ProjectPath ?? own.FirstOrDefault()?.Path} is still there");
            }
        }

        var known = repositories.ToDictionary(r => r.Id);
        foreach (var (id, own) in byRepository)
        {
            if (!known.TryGetValue(id, out var repository))
            {
                violations.Add($"OneDev projects {string.Join(", ", own.Select(p => p.Path))} mirror github-id {id}, which the soak never made");
                continue;
            }
            foreach (var project in own)
            {
                foreach (var (name, objectId) in await stack.OneDevAllRefsAsync(project.Path, ct))
                {
                    if (!repository.Holds(objectId))
                    {
                        var owner = repositories.FirstOrDefault(r => r.Holds(objectId));
                        violations.Add($"OneDev project {project.Path} (mirror of {repository}) holds {name}={objectId[..8]}, "
                            + (owner is null ? "an object of no soak repository" : $"an object of {owner}"));
                    }
                }
            }
        }
        return new SoakCheck(unsettled, violations, repositories.Count, refsCompared, projects.Count, states);
    }

    /// <summary>Every mirror's history as tab-separated lines, for the soak's output folder.</summary>
    public static async Task<string> HistoryAsync(string postgres, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("""
            SELECT m.github_id, h.recorded_at, h.attempt, h.event, h.outcome, coalesce(h.detail, ''), coalesce(h.delivery_id, '')
            FROM sync_history h JOIN mirrors m ON m.correlation_id = h.mirror_id ORDER BY m.github_id, h.id
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var lines = new List<string> { "github_id\trecorded_at\tattempt\tevent\toutcome\tdetail\tdelivery_id" };
        while (await reader.ReadAsync(ct))
        {
            lines.Add(string.Join('\t', reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1).ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture),
                reader.GetInt32(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetString(6)));
        }
        return string.Join('\n', lines);
    }

    private static long? GitHubIdOf(string? description) =>
        description is not null && MarkerPattern().Match(description) is { Success: true } match
            ? long.Parse(match.Groups["id"].Value, System.Globalization.CultureInfo.InvariantCulture)
            : null;

    private static async Task<Dictionary<long, Saga>> ReadSagasAsync(string postgres, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("""
            SELECT github_id, full_name, current_state, status, last_error, starred, onedev_project_id, onedev_project_path,
                   retired_action, resync_requested, upstream_gone_reason
            FROM mirrors
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var sagas = new Dictionary<long, Saga>();
        while (await reader.ReadAsync(ct))
        {
            var saga = new Saga(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetBoolean(5),
                reader.IsDBNull(6) ? null : reader.GetInt64(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8), reader.GetBoolean(9), reader.IsDBNull(10) ? null : reader.GetString(10));
            sagas[saga.GitHubId] = saga;
        }
        return sagas;
    }

    [GeneratedRegex(@"managed by StarSync \(github-id (?<id>[0-9]{1,19})\)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex MarkerPattern();

    private sealed record Saga(long GitHubId, string FullName, string State, string Status, string? LastError, bool Starred,
        long? ProjectId, string? ProjectPath, string? RetiredAction, bool ResyncRequested, string? UpstreamGoneReason);
}
