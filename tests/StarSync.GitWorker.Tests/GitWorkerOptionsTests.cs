using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace StarSync.GitWorker.Tests;

public sealed class GitWorkerOptionsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var options = Resolve([]);

        Assert.Equal(TimeSpan.FromMinutes(30), options.JobTimeout);
        Assert.Equal(2, options.ConcurrentJobs);
        Assert.Equal("git", options.GitExecutable);
        Assert.StartsWith(Path.GetTempPath(), options.WorkDirectory, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GitWorker:ConcurrentJobs", "0")]
    [InlineData("GitWorker:ConcurrentJobs", "17")]
    [InlineData("GitWorker:JobTimeout", "00:00:00")]
    [InlineData("GitWorker:GitExecutable", "")]
    public void InvalidSetting_FailsValidation(string key, string value)
    {
        Assert.Throws<OptionsValidationException>(() => Resolve(new() { [key] = value }));
    }

    private static GitWorkerOptions Resolve(Dictionary<string, string?> settings)
    {
        settings["OneDev:Url"] = "http://onedev.example.com/";
        settings["OneDev:Token"] = "t";
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddGitWorkerServices();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<GitWorkerOptions>>().Value;
    }
}
