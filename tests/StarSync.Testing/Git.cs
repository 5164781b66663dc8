namespace StarSync.Testing;

/// <summary>
/// Runs the real git CLI for tests: arguments through ArgumentList, no prompts, no system config, a fixed
/// author/committer identity. Returns stdout; throws with stderr when git fails.
/// </summary>
public static class Git
{
    public const string AuthorName = "StarSync Tests";
    public const string AuthorEmail = "tests@starsync.invalid";

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    public static Task<string> RunAsync(string workingDirectory, params string[] args) =>
        RunAsync(workingDirectory, args, environment: null, CancellationToken.None);

    /// <summary>Like <see cref="RunAsync(string, string[])"/> with extra variables (a null value removes one).</summary>
    public static Task<string> RunAsync(string workingDirectory, IDictionary<string, string?> environment, params string[] args) =>
        RunAsync(workingDirectory, args, environment, CancellationToken.None);

    /// <summary>Runs git with a two-minute timeout (or <paramref name="ct"/>), killing it when either fires.</summary>
    public static async Task<string> RunAsync(
        string workingDirectory, IEnumerable<string> args, IDictionary<string, string?>? environment, CancellationToken ct)
    {
        var arguments = args.ToList();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(DefaultTimeout);
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(
                "git", arguments, Environment(environment), workingDirectory, ct: timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"git {Describe(arguments)} did not finish within {DefaultTimeout}.", e);
        }
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"git {Describe(arguments)} failed with exit code {result.ExitCode} in {workingDirectory}: {result.StandardError.Trim()}");
        }
        return result.StandardOutput;
    }

    /// <summary>
    /// <c>git ls-remote --refs</c>: refs/heads/* and refs/tags/* → object id (an annotated tag maps to the tag
    /// object, peeled <c>^{}</c> lines are not included). Pass e.g. <c>GIT_CONFIG_COUNT=1</c>,
    /// <c>GIT_CONFIG_KEY_0=http.extraHeader</c>, <c>GIT_CONFIG_VALUE_0=Authorization: ...</c> for authentication.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> LsRemoteAsync(
        string url, IDictionary<string, string?>? environment = null, CancellationToken ct = default)
    {
        var output = await RunAsync(Path.GetTempPath(), ["ls-remote", "--refs", url], environment, ct).ConfigureAwait(false);
        return ParseRefs(output, '\t', objectIdFirst: true);
    }

    internal static IReadOnlyDictionary<string, string> ParseRefs(string output, char separator, bool objectIdFirst)
    {
        var refs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(separator, 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2)
            {
                continue;
            }
            var (objectId, name) = objectIdFirst ? (parts[0], parts[1]) : (parts[1], parts[0]);
            if ((name.StartsWith("refs/heads/", StringComparison.Ordinal) || name.StartsWith("refs/tags/", StringComparison.Ordinal))
                && !name.EndsWith("^{}", StringComparison.Ordinal))
            {
                refs[name] = objectId;
            }
        }
        return refs;
    }

    private static Dictionary<string, string?> Environment(IDictionary<string, string?>? extra)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["GIT_TERMINAL_PROMPT"] = "0",
            ["GIT_CONFIG_NOSYSTEM"] = "1",
            ["GIT_ASKPASS"] = null,
            ["SSH_ASKPASS"] = null,
            ["GIT_AUTHOR_NAME"] = AuthorName,
            ["GIT_AUTHOR_EMAIL"] = AuthorEmail,
            ["GIT_COMMITTER_NAME"] = AuthorName,
            ["GIT_COMMITTER_EMAIL"] = AuthorEmail,
            ["LC_ALL"] = "C",
        };
        if (extra is not null)
        {
            foreach (var (name, value) in extra)
            {
                environment[name] = value;
            }
        }
        return environment;
    }

    /// <summary>The command for error messages, without values that look like credentials.</summary>
    private static string Describe(IReadOnlyList<string> arguments) => string.Join(' ', arguments.Select(a =>
        a.Contains("Authorization", StringComparison.OrdinalIgnoreCase) || (a.Contains('@', StringComparison.Ordinal) && a.Contains("://", StringComparison.Ordinal))
            ? "***"
            : a));
}
