using System.Runtime.InteropServices;

namespace StarSync.GitWorker.Git;

/// <summary>Signals to a whole process group (POSIX <c>kill(-pgid, sig)</c>), for git run under <see cref="GitProcessStarter"/>.</summary>
internal static partial class ProcessGroup
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    /// <summary>Sends <paramref name="signal"/> to every process of the group <paramref name="groupId"/>; false when there is none (left).</summary>
    public static bool Signal(int groupId, int signal) => groupId > 1 && kill(-groupId, signal) == 0;

#pragma warning disable SYSLIB1054 // LibraryImport would need AllowUnsafeBlocks for one int-only call.
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
#pragma warning restore SYSLIB1054
}
