using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace StarSync.EndToEnd.Soak;

/// <summary>What a soak did and found: operations and faults by kind, what was checked, and every invariant violation.</summary>
public sealed class SoakReport
{
    private readonly ConcurrentDictionary<string, int> _operations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _faults = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _problems = new();

    public required int Seed { get; init; }

    public required string UnstarPolicy { get; init; }

    public IReadOnlyDictionary<string, int> Operations => _operations;

    public IReadOnlyDictionary<string, int> Faults => _faults;

    /// <summary>What went wrong while the workload ran (a webhook never accepted, a service that did not come back).</summary>
    public IReadOnlyCollection<string> RunProblems => _problems;

    /// <summary>What the final check found wrong; empty when every invariant holds.</summary>
    public IReadOnlyList<string> Violations => [.. _problems, .. FinalCheck?.Violations ?? []];

    public SoakCheck? FinalCheck { get; internal set; }

    public TimeSpan ChaosDuration { get; internal set; }

    public TimeSpan SettleDuration { get; internal set; }

    public TimeSpan TotalDuration { get; internal set; }

    public string? OutputDirectory { get; internal set; }

    internal void Operation(string kind) => _operations.AddOrUpdate(kind, 1, (_, n) => n + 1);

    internal void Fault(string kind) => _faults.AddOrUpdate(kind, 1, (_, n) => n + 1);

    internal void Problem(string problem) => _problems.Enqueue(problem);

    public override string ToString()
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine(culture, $"Soak seed {Seed}, unstar policy {UnstarPolicy}");
        text.AppendLine(culture, $"Duration: {TotalDuration.TotalSeconds:0} s in all, {ChaosDuration.TotalSeconds:0} s of chaos, {SettleDuration.TotalSeconds:0} s to settle");
        text.AppendLine(culture, $"Operations: {_operations.Values.Sum()} ({Describe(_operations)})");
        text.AppendLine(culture, $"Faults injected: {_faults.Values.Sum()} ({Describe(_faults)})");
        if (FinalCheck is { } check)
        {
            text.AppendLine(culture, $"Mirrors checked: {check.MirrorsChecked} repositories, refs compared for {check.RefsCompared}, {check.ProjectsChecked} OneDev projects");
            text.AppendLine(culture, $"Sagas: {Describe(check.SagaStates)}");
        }
        if (OutputDirectory is not null)
        {
            text.AppendLine(culture, $"Service output and sync histories: {OutputDirectory}");
        }
        var violations = Violations;
        text.AppendLine(culture, $"Violations: {violations.Count}");
        foreach (var violation in violations)
        {
            text.AppendLine("  - " + violation);
        }
        return text.ToString();
    }

    private static string Describe(IReadOnlyDictionary<string, int> counts) => counts.Count == 0
        ? "none"
        : string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}"));
}
