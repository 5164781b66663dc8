using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StarSync.Contracts;
using StarSync.Emulators;
using StarSync.OneDev;
using StarSync.Orchestrator.Projects;

namespace StarSync.Orchestrator.Tests.Projects;

[Trait("Category", "Integration")]
public sealed class RetireOneDevProjectConsumerTests : IAsyncLifetime
{
    private OneDevEmulator _oneDev = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _oneDev = await OneDevEmulator.StartAsync(Ct);

    public async ValueTask DisposeAsync() => await _oneDev.DisposeAsync();

    [Fact]
    public async Task Archive_NotesTheUnstarAtTheTopOfTheDescriptionOnce()
    {
        await using var provider = BuildHarness(out var client);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        var id = await client.CreateProjectAsync(new NewOneDevProject("octo-hello", null) { Description = "Mirror of x" }, Ct);
        var command = new ArchiveOneDevProject(NewId.NextGuid(), id, "octo/hello", "Archived by StarSync: unstarred.");

        await harness.Bus.Publish(command, Ct);
        await harness.Bus.Publish(command, Ct);

        Assert.True(await harness.Published.Any<OneDevProjectRetired>(m => m.Context.Message.MirrorId == command.MirrorId, Ct));
        await harness.InactivityTask;
        var retired = harness.Published.Select<OneDevProjectRetired>(Ct).Select(m => m.Context.Message).ToList();
        Assert.Equal(2, retired.Count);
        Assert.All(retired, r => Assert.Equal(("archived", (string?)null), (r.Action, r.Error)));
        Assert.Equal("Archived by StarSync: unstarred.\n\nMirror of x", (await client.GetProjectAsync(id, Ct)).Description);
    }

    [Theory]
    [InlineData("Archived by StarSync on 2026-12-01: octo/hello was unstarred.\n\nMirror of x", "Mirror of x")]
    [InlineData("Archived by StarSync on 2026-12-01: octo/hello was unstarred.", "")]
    [InlineData("Mirror of x", "Mirror of x")]
    public async Task Restore_TakesTheArchiveNoteOffAndNothingElse(string before, string after)
    {
        await using var provider = BuildHarness(out var client);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        var id = await client.CreateProjectAsync(new NewOneDevProject("octo-hello", null) { Description = before }, Ct);
        var command = new RestoreOneDevProject(NewId.NextGuid(), id, "octo/hello");

        await harness.Bus.Publish(command, Ct);
        await harness.Bus.Publish(command, Ct);

        await harness.InactivityTask;
        var restored = harness.Published.Select<OneDevProjectRetired>(Ct).Select(m => m.Context.Message).ToList();
        Assert.Equal(2, restored.Count);
        Assert.All(restored, r => Assert.Equal(("restored", (string?)null), (r.Action, r.Error)));
        Assert.Equal(after, (await client.GetProjectAsync(id, Ct)).Description ?? "");
    }

    [Fact]
    public async Task Delete_RemovesTheProject_AndADeletedProjectCountsAsDeleted()
    {
        await using var provider = BuildHarness(out var client);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        var id = await client.CreateProjectAsync(new NewOneDevProject("octo-gone", null), Ct);
        var command = new DeleteOneDevProject(NewId.NextGuid(), id, "octo/gone");

        await harness.Bus.Publish(command, Ct);
        await harness.Bus.Publish(command, Ct);

        await harness.InactivityTask;
        var retired = harness.Published.Select<OneDevProjectRetired>(Ct).Select(m => m.Context.Message).ToList();
        Assert.Equal(2, retired.Count);
        Assert.All(retired, r => Assert.Equal(("deleted", (string?)null), (r.Action, r.Error)));
        Assert.Empty(_oneDev.Projects);
    }

    [Fact]
    public async Task Archive_WithARevokedToken_ReportsOneDevsRefusal()
    {
        await using var provider = BuildHarness(out var client);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        var id = await client.CreateProjectAsync(new NewOneDevProject("octo-locked", null), Ct);
        _oneDev.RevokeToken(_oneDev.Token);

        await harness.Bus.Publish(new ArchiveOneDevProject(NewId.NextGuid(), id, "octo/locked", "note"), Ct);

        Assert.True(await harness.Published.Any<OneDevProjectRetired>(Ct));
        var retired = harness.Published.Select<OneDevProjectRetired>(Ct).Single().Context.Message;
        Assert.Contains("401", retired.Error);
        Assert.DoesNotContain(_oneDev.Token, retired.Error);
    }

    private ServiceProvider BuildHarness(out OneDevClient client)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(OneDevTestServices.Settings(_oneDev));
        builder.AddOneDevProjects();
        builder.Services.AddMassTransitTestHarness(x => x.AddConsumer<RetireOneDevProjectConsumer>());
        var provider = builder.Services.BuildServiceProvider(true);
        client = provider.GetRequiredService<OneDevClient>();
        return provider;
    }
}
