namespace StarSync.Deploy.Tests;

/// <summary>
/// deploy/run-local.sh builds the services only when an input changed since its last build (run for real with
/// <c>--build-only</c> and a <c>dotnet</c> that records its calls, so nothing is compiled or started).
/// </summary>
[Trait("Category", "Integration")]
public sealed class RunLocalBuildTests : IDisposable
{
    private static readonly Dictionary<string, string> NoSettings = [];

    private readonly RunLocalCopy _copy = new(fakeDotnet: true);

    public void Dispose() => _copy.Dispose();

    [Fact]
    public async Task SecondStart_WithNothingChanged_BuildsNothing()
    {
        var first = await _copy.RunAsync(NoSettings, "--build-only");
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Equal(RunLocalCopy.Services, _copy.Builds());
        _copy.ClearBuilds();

        var second = await _copy.RunAsync(NoSettings, "--build-only");

        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Empty(_copy.Builds());
        Assert.Contains("The build is current", second.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_copy.File(".local/postgres")), "--build-only started PostgreSQL");
        Assert.False(Directory.Exists(_copy.File(".local/rabbitmq")), "--build-only started RabbitMQ");
    }

    [Theory]
    [InlineData("shared/StarSync.Contracts/Contract.cs")]
    [InlineData("services/StarSync.Ingress/Program.cs")]
    [InlineData("services/StarSync.GitWorker/appsettings.json")]
    [InlineData("Directory.Build.props")]
    [InlineData("Directory.Packages.props")]
    [InlineData(".editorconfig")]
    public async Task ChangedInput_BuildsAgain(string input)
    {
        await BuildOnceAsync();
        TouchAfterStamp(input);

        var result = await _copy.RunAsync(NoSettings, "--build-only");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(RunLocalCopy.Services, _copy.Builds());
        Assert.Contains($"{input} changed", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("services/StarSync.Ingress/obj/project.assets.json")]
    [InlineData("services/StarSync.Ingress/bin/Release/net10.0/StarSync.Ingress.deps.json")]
    [InlineData("shared/StarSync.Contracts/obj/Release/net10.0/StarSync.Contracts.dll")]
    [InlineData("tests/StarSync.Ingress.Tests/SomeTests.cs")]
    [InlineData("README.md")]
    public async Task ChangedOutputOrUnrelatedFile_BuildsNothing(string file)
    {
        await BuildOnceAsync();
        TouchAfterStamp(file);

        var result = await _copy.RunAsync(NoSettings, "--build-only");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Empty(_copy.Builds());
    }

    [Fact]
    public async Task MissingServiceAssembly_BuildsAgain()
    {
        await BuildOnceAsync();
        File.Delete(_copy.File("services/StarSync.GitWorker/bin/Release/net10.0/StarSync.GitWorker.dll"));

        var result = await _copy.RunAsync(NoSettings, "--build-only");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(RunLocalCopy.Services, _copy.Builds());
        Assert.Contains("StarSync.GitWorker.dll is missing", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildOption_BuildsWhenNothingChanged()
    {
        await BuildOnceAsync();

        var result = await _copy.RunAsync(NoSettings, "--build-only", "--build");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(RunLocalCopy.Services, _copy.Builds());
    }

    [Fact]
    public async Task FailedBuild_StopsTheScript_AndTheNextStartBuildsAgain()
    {
        var failed = await _copy.RunAsync(new Dictionary<string, string> { ["FAKE_DOTNET_FAIL"] = "StarSync.GitWorker" }, "--build-only");
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("build of StarSync.GitWorker failed", failed.Error, StringComparison.Ordinal);
        Assert.Contains("error CS1002", failed.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_copy.BuildStamp));
        _copy.ClearBuilds();

        var again = await _copy.RunAsync(NoSettings, "--build-only");

        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Equal(RunLocalCopy.Services, _copy.Builds());
    }

    [Fact]
    public async Task UnknownArgument_Exits2WithUsageBeforeAnything()
    {
        var result = await _copy.RunAsync(NoSettings, "--biuld");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown argument --biuld", result.Error, StringComparison.Ordinal);
        Assert.Contains("usage: deploy/run-local.sh [--build] [--build-only]", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_copy.File(".local")));
        Assert.Empty(_copy.Builds());
    }

    private async Task BuildOnceAsync()
    {
        var result = await _copy.RunAsync(NoSettings, "--build-only");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(RunLocalCopy.Services, _copy.Builds());
        _copy.ClearBuilds();
    }

    /// <summary>Writes <paramref name="relativePath"/> with a modification time after the stamp's (no waiting for the clock).</summary>
    private void TouchAfterStamp(string relativePath)
    {
        var path = _copy.File(relativePath);
        if (!File.Exists(path))
        {
            _copy.Write(relativePath, "changed");
        }
        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(_copy.BuildStamp) + TimeSpan.FromSeconds(2));
    }
}
