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
        Assert.Equal(Path.Combine(options.WorkDirectory, "cache"), options.ResolvedCacheDirectory);
        Assert.Equal(1048576, options.LargeRepositoryThresholdKb);
        Assert.Equal(TimeSpan.FromMinutes(90), options.LargeRepositoryJobTimeout);
        Assert.Equal(1024L * 1024 * 1024, options.MinimumFreeDiskBytes);
        Assert.Equal(TimeSpan.FromMinutes(5), options.LocalCommandTimeout);
        Assert.Equal(TimeSpan.FromMinutes(2), options.LsRemoteTimeout);
        Assert.Equal(TimeSpan.FromMinutes(10), options.TransferInactivityTimeout);
        Assert.Equal(options.LargeRepositoryJobTimeout, options.TransferTimeout);
    }

    [Theory]
    [InlineData(1, 30)]
    [InlineData(1048575, 30)]
    [InlineData(1048576, 90)]
    [InlineData(50_000_000, 90)]
    public void JobTimeoutFor_LargeRepositories_IsTheLongerOne(long sizeKb, int expectedMinutes)
    {
        Assert.Equal(TimeSpan.FromMinutes(expectedMinutes), Resolve([]).JobTimeoutFor(sizeKb));
    }

    [Theory]
    [InlineData("GitWorker:ConcurrentJobs", "0")]
    [InlineData("GitWorker:ConcurrentJobs", "17")]
    [InlineData("GitWorker:JobTimeout", "00:00:00")]
    [InlineData("GitWorker:GitExecutable", "")]
    [InlineData("GitWorker:LargeRepositoryJobTimeout", "02:00:00")]
    [InlineData("GitWorker:LargeRepositoryThresholdKb", "0")]
    [InlineData("GitWorker:MinimumFreeDiskBytes", "-1")]
    [InlineData("GitWorker:LocalCommandTimeout", "00:00:00")]
    [InlineData("GitWorker:LsRemoteTimeout", "00:00:00")]
    [InlineData("GitWorker:TransferInactivityTimeout", "00:00:00")]
    [InlineData("GitWorker:TransferTimeout", "2.00:00:00")]
    public void InvalidSetting_FailsValidation(string key, string value)
    {
        Assert.Throws<OptionsValidationException>(() => Resolve(new() { [key] = value }));
    }

    private static GitWorkerOptions Resolve(Dictionary<string, string?> settings)
    {
        settings["OneDev:Url"] = "http://onedev.example.com/";
        settings["OneDev:Token"] = "t";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddGitWorkerServices();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<GitWorkerOptions>>().Value;
    }
}
