using System.Collections.Concurrent;

namespace StarSync.Testing;

/// <summary>
/// Last-chance cleanup: if the test process exits without disposing a server (a crashed or aborted run), the
/// registered actions stop it so no postgres or beam process outlives the test run. A SIGKILLed test process
/// cannot be helped.
/// </summary>
internal static class ExitGuard
{
    private static readonly ConcurrentDictionary<Guid, Action> Actions = new();

    static ExitGuard() => AppDomain.CurrentDomain.ProcessExit += (_, _) => RunAll();

    public static Guid Register(Action cleanup)
    {
        var id = Guid.NewGuid();
        Actions[id] = cleanup;
        return id;
    }

    public static void Unregister(Guid id) => Actions.TryRemove(id, out _);

    private static void RunAll()
    {
        foreach (var id in Actions.Keys)
        {
            if (Actions.TryRemove(id, out var action))
            {
                try
                {
                    action();
                }
#pragma warning disable CA1031 // Best effort while the process is exiting; nothing can be reported.
                catch (Exception)
#pragma warning restore CA1031
                {
                }
            }
        }
    }
}
