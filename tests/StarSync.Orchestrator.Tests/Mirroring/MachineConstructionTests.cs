using Microsoft.Extensions.Options;
using StarSync.Orchestrator.Mirroring;

namespace StarSync.Orchestrator.Tests.Mirroring;

public sealed class MachineConstructionTests
{
    [Fact]
    public void Machine_Builds_WithEveryStateAndEvent()
    {
        var machine = new MirrorStateMachine(Options.Create(new MirroringOptions()), TimeProvider.System);

        Assert.Equal(["Initial", "Final", "Pending", "ProjectCreated", "Mirroring", "Completed", "Failed"],
            machine.States.Select(s => s.Name));
    }
}
