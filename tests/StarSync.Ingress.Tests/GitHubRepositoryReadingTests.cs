using System.Text.Json;
using System.Text.Json.Nodes;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

using StarSync.Emulators;
using StarSync.GitHub;

namespace StarSync.Ingress.Tests;

/// <summary>
/// A star reads alike from a webhook payload (<see cref="GitHubWebhookPayload"/>) and from GitHub's API (the GitHub
/// client over the emulator): the same repository object gives the same <c>GitHubRepository</c>, also when optional
/// fields are absent.
/// </summary>
[Trait("Category", "Integration")]
public sealed class GitHubRepositoryReadingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("")]
    [InlineData("private visibility")]
    [InlineData("html_url")]
    [InlineData("default_branch")]
    [InlineData("size description")]
    public async Task WebhookAndApi_SameRepositoryObject_ReadAlike(string omittedFields)
    {
        var omitted = omittedFields.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        await using var github = await GitHubEmulator.StartAsync(Ct);
        var repo = github.CreateRepository("octocat", "hello-world", isPrivate: false, defaultBranch: "trunk");
        repo.Description = "My first repository";
        repo.Size = 1234;
        repo.OmittedFields.UnionWith(omitted);
        await using var services = GitHubServices(github);

        var fromApi = (await services.GetRequiredService<GitHubClient>().GetRepositoryAsync(repo.Id, Ct)).Repository;
        using var payload = JsonDocument.Parse(new JsonObject { ["action"] = "started", ["repository"] = repo.ToJson() }.ToJsonString());
        var fromWebhook = GitHubWebhookPayload.ReadRepository(payload.RootElement);

        Assert.Equal(fromApi, fromWebhook);
        Assert.Equal(omitted.Contains("private"), fromWebhook.Private); // an unknown visibility is private in both
    }

    private static ServiceProvider GitHubServices(GitHubEmulator github)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GitHub:ApiUrl"] = github.ApiUrl.ToString(),
            ["GitHub:WebUrl"] = github.BaseUrl.ToString(),
            ["GitHub:Token"] = github.Token,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddGitHubClient();
        return services.BuildServiceProvider();
    }
}
