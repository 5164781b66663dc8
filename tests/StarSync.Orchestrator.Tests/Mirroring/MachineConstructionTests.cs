using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StarSync.Contracts;
using StarSync.Orchestrator.Mirroring;

namespace StarSync.Orchestrator.Tests.Mirroring;

public sealed class MachineConstructionTests
{
    [Fact]
    public void Machine_Builds_WithEveryStateAndEvent()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var machine = new MirrorStateMachine(Options.Create(new MirroringOptions()), TimeProvider.System,
            NullLogger<MirrorStateMachine>.Instance, new MirrorSagaMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));

        // MirrorStates names what the sweeper, the admin API and the retry consumer filter on: one name per state.
        Assert.Equal(["Initial", "Final", .. MirrorStates.All], machine.States.Select(s => s.Name));
    }
}
