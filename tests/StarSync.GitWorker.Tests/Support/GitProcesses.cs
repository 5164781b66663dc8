namespace StarSync.GitWorker.Tests.Support;

/// <summary>Live processes (zombies excluded) whose working directory is at or below a directory, read from /proc.</summary>
internal static class GitProcesses
{
    public static IReadOnlyList<string> Under(string directory)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        var found = new List<string>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            var pid = Path.GetFileName(entry);
            if (!pid.All(char.IsAsciiDigit))
            {
                continue;
            }
            try
            {
                var cwd = new DirectoryInfo(Path.Combine(entry, "cwd")).ResolveLinkTarget(returnFinalTarget: false)?.FullName;
                if (cwd is null || !(cwd == root || cwd.StartsWith(root + "/", StringComparison.Ordinal)) || IsZombie(entry))
                {
                    continue;
                }
                var commandLine = File.ReadAllText(Path.Combine(entry, "cmdline")).Replace('\0', ' ').Trim();
                found.Add($"{pid}: {commandLine}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not ours to look at.
            }
        }
        return found;
    }

    /// <summary>A killed process lingers as a zombie until its parent (or init) reaps it; /proc/&lt;pid&gt;/stat says 'Z' then.</summary>
    private static bool IsZombie(string entry)
    {
        var text = File.ReadAllText(Path.Combine(entry, "stat"));
        return text[(text.LastIndexOf(')') + 2)] == 'Z';
    }
}
