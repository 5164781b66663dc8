namespace StarSync.GitWorker.Tests.Support;

/// <summary>
/// A stand-in for the git program that records every argument list it is started with, runs the real git, and
/// then records the contents of the config and FETCH_HEAD files under the scanned (work and cache) directories: what a token must
/// never appear in.
/// </summary>
internal static class GitSpy
{
    public static string Create(string directory, string logFile, params string[] scannedDirectories)
    {
        var script = Path.Combine(directory, "git-spy.sh");
        File.WriteAllText(script, $$"""
            #!/bin/sh
            for a in "$@"; do printf 'ARG %s\n' "$a" >> '{{logFile}}'; done
            git "$@"
            rc=$?
            find {{string.Join(' ', scannedDirectories.Select(d => $"'{d}'"))}} -maxdepth 3 \( -name config -o -name FETCH_HEAD \) -type f 2>/dev/null | while read -r f; do
              printf 'FILE %s\n' "$f" >> '{{logFile}}'
              cat "$f" >> '{{logFile}}'
            done
            exit $rc

            """.ReplaceLineEndings("\n"));
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The git spy is a POSIX shell script.");
        }
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return script;
    }
}
