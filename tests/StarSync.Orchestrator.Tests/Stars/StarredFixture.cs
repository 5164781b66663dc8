using StarSync.Emulators;

namespace StarSync.Orchestrator.Tests.Stars;

/// <summary>Creates starred repositories in the emulator, one minute apart, oldest first.</summary>
internal static class StarredFixture
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static List<EmulatedRepository> Star(GitHubEmulator github, int count, string owner = "someone", int offsetMinutes = 0)
    {
        var repositories = new List<EmulatedRepository>(count);
        for (var i = 0; i < count; i++)
        {
            var n = offsetMinutes + i;
            var repository = github.CreateRepository(owner, $"repo-{n:D4}");
            github.Star(repository.Id, Epoch.AddMinutes(n));
            repositories.Add(repository);
        }

        return repositories;
    }
}
