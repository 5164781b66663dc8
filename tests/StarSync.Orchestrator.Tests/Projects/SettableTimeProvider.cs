namespace StarSync.Orchestrator.Tests.Projects;

/// <summary>A clock the test sets (date-suffixed names depend on the day).</summary>
internal sealed class SettableTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
