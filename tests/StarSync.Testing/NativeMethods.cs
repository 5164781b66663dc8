using System.Runtime.InteropServices;

namespace StarSync.Testing;

internal static partial class NativeMethods
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    /// <summary>Sends a signal to a process (POSIX kill(2)); returns false if it failed (e.g. no such process).</summary>
    public static bool Signal(int pid, int signal) => kill(pid, signal) == 0;

    public static bool IsRoot => !OperatingSystem.IsWindows() && geteuid() == 0;

#pragma warning disable SYSLIB1054 // LibraryImport would need AllowUnsafeBlocks for two int-only calls.
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    [DllImport("libc")]
    private static extern uint geteuid();
#pragma warning restore SYSLIB1054
}
