using System.Globalization;
using StarSync.EndToEnd.Soak;
using StarSync.Testing;

namespace StarSync.EndToEnd.Tests;

/// <summary>
/// The short soak: a minute and a half of stars, pushes, force-pushes, renames and unstars while services are killed,
/// RabbitMQ and PostgreSQL restarted and OneDev and GitHub fail, then every invariant of <see cref="SoakInvariants"/>.
/// The seed is printed; set STARSYNC_SOAK_SEED to run the same operations and faults again.
/// </summary>
[Trait("Category", "Integration")]
[Collection(FaultCollection.Name)]
public sealed class SoakEndToEndTests(TestServers servers)
{
    [Fact(Timeout = 240_000)]
    public async Task TwoMinutesOfChaos_EveryMirrorEqualsItsUpstreamAndNothingIsStuck()
    {
        var ct = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper;
        var seed = Environment.GetEnvironmentVariable("STARSYNC_SOAK_SEED") is { Length: > 0 } given
            ? int.Parse(given, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        output?.WriteLine($"soak seed {seed} (replay: STARSYNC_SOAK_SEED={seed})");

        var report = await SoakRun.RunAsync(servers, new SoakOptions
        {
            Seed = seed,
            ChaosDuration = TimeSpan.FromSeconds(90),
            SettleTimeout = TimeSpan.FromSeconds(40),
            Log = line => output?.WriteLine(line),
        }, ct);

        output?.WriteLine(report.ToString());
        Assert.True(report.Operations.Values.Sum() > 20, $"the workload hardly ran:\n{report}");
        Assert.True(report.Faults.Values.Sum() > 5, $"hardly any fault was injected:\n{report}");
        Assert.True(report.FinalCheck?.RefsCompared > 0, $"no mirror was compared:\n{report}");
        Assert.True(report.Violations.Count == 0, $"the soak found violations (replay: STARSYNC_SOAK_SEED={seed}):\n{report}");
    }
}
