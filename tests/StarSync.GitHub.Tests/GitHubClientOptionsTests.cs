using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace StarSync.GitHub.Tests;

public sealed class GitHubClientOptionsTests
{
    private static List<ValidationResult> Validate(GitHubClientOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    [Fact]
    public void PersonalAccessToken_IsValid()
    {
        Assert.Empty(Validate(new GitHubClientOptions { Token = "ghp_x" }));
    }

    [Fact]
    public void CompleteApp_WithUserToken_IsValid()
    {
        using var key = RSA.Create(2048);
        var options = new GitHubClientOptions
        {
            AppId = "1",
            AppPrivateKey = key.ExportPkcs8PrivateKeyPem(),
            InstallationId = 2,
            UserAccessToken = "ghu_x",
            UserRefreshToken = "ghr_x",
            AppClientId = "Iv1.x",
            AppClientSecret = "s",
            UserTokenStorePath = "/var/lib/starsync/ingress/github-user-token.json",
        };

        Assert.Empty(Validate(options));
    }

    [Fact]
    public void NoCredentials_ExplainsValidCombinations()
    {
        var message = Assert.Single(Validate(new GitHubClientOptions())).ErrorMessage;

        Assert.Contains("GitHub:Token alone", message, StringComparison.Ordinal);
        Assert.Contains("GitHub:AppId + GitHub:AppPrivateKey + GitHub:InstallationId", message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoCredentials_WhereAnonymousIsAllowed_IsValid()
    {
        Assert.Empty(Validate(new GitHubClientOptions { AllowAnonymous = true }));
    }

    [Fact]
    public void TokenAndApp_IsInvalid()
    {
        Assert.Contains(Validate(new GitHubClientOptions { Token = "ghp_x", AppId = "1" }), r => r.ErrorMessage!.Contains("cannot be combined", StringComparison.Ordinal));
    }

    [Fact]
    public void PartialApp_NamesWhatIsMissing()
    {
        var messages = Validate(new GitHubClientOptions { AppId = "1" }).Select(r => r.ErrorMessage).ToList();

        Assert.Contains(messages, m => m!.Contains("GitHub:AppPrivateKey", StringComparison.Ordinal));
        Assert.Contains(messages, m => m!.Contains("GitHub:InstallationId", StringComparison.Ordinal));
    }

    [Fact]
    public void RefreshTokenWithoutClientCredentials_IsInvalid()
    {
        var results = Validate(new GitHubClientOptions { UserAccessToken = "ghu_x", UserRefreshToken = "ghr_x" });

        Assert.Contains(results, r => r.ErrorMessage!.Contains("AppClientId", StringComparison.Ordinal));
    }

    [Fact]
    public void BadPrivateKey_RejectedWithoutEchoingIt()
    {
        const string secret = "-----BEGIN RSA PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END RSA PRIVATE KEY-----";

        var results = Validate(new GitHubClientOptions { AppId = "1", AppPrivateKey = secret, InstallationId = 3 });

        var result = Assert.Single(results);
        Assert.Contains("not an RSA private key", result.ErrorMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void PrivateKeyWithEscapedNewlines_IsAccepted()
    {
        using var key = RSA.Create(2048);
        var escaped = key.ExportRSAPrivateKeyPem().Replace("\n", "\\n", StringComparison.Ordinal);

        Assert.Empty(Validate(new GitHubClientOptions { AppId = "1", AppPrivateKey = escaped, InstallationId = 3 }));
    }

    [Fact]
    public void RefreshTokenWithoutStore_IsRefusedSayingWhy()
    {
        var results = Validate(new GitHubClientOptions { UserAccessToken = "ghu_x", UserRefreshToken = "ghr_x", AppClientId = "Iv1.x", AppClientSecret = "s" });

        var message = Assert.Single(results).ErrorMessage;
        Assert.StartsWith("GitHub:UserRefreshToken needs GitHub:UserTokenStorePath: GitHub invalidates a refresh token when it is used", message, StringComparison.Ordinal);
        Assert.DoesNotContain("ghr_x", message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefreshToken_WhereTheServiceMustNotOwnIt_IsRefusedNamingTheAlternatives()
    {
        var options = new GitHubClientOptions
        {
            UserAccessToken = "ghu_x", UserRefreshToken = "ghr_x", AppClientId = "Iv1.x", AppClientSecret = "s", UserTokenStorePath = "/x", MayOwnRefreshToken = false,
        };

        var message = Assert.Single(Validate(options)).ErrorMessage;

        Assert.StartsWith("GitHub:UserRefreshToken must not be given to this service: a refresh token works once", message, StringComparison.Ordinal);
        Assert.Contains("GitHub:UserTokenFromOwner=true", message, StringComparison.Ordinal);
        Assert.DoesNotContain("ghr_x", message, StringComparison.Ordinal);
    }

    [Fact]
    public void UserTokenFromOwner_Alone_IsValidWhereTheHostCanBorrow()
    {
        Assert.Empty(Validate(new GitHubClientOptions { UserTokenFromOwner = true, CanBorrowUserToken = true, MayOwnRefreshToken = false }));
    }

    [Fact]
    public void UserTokenFromOwner_WhereTheHostCannotBorrow_IsRefused()
    {
        var message = Assert.Single(Validate(new GitHubClientOptions { UserTokenFromOwner = true })).ErrorMessage;

        Assert.StartsWith("GitHub:UserTokenFromOwner is not supported by this service", message, StringComparison.Ordinal);
    }

    [Fact]
    public void UserTokenFromOwner_WithACredentialOfItsOwn_IsRefused()
    {
        var message = Assert.Single(Validate(new GitHubClientOptions { UserTokenFromOwner = true, CanBorrowUserToken = true, Token = "ghp_x" })).ErrorMessage;

        Assert.StartsWith("GitHub:UserTokenFromOwner is for a service without a GitHub credential of its own", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void RefreshTokenOrBorrowing_WithoutTheSecretKey_FailsNamingTheSetting(bool borrow)
    {
        var settings = borrow
            ? new Dictionary<string, string?> { ["GitHub:UserTokenFromOwner"] = "true" }
            : new Dictionary<string, string?>
            {
                ["GitHub:UserAccessToken"] = "ghu_x", ["GitHub:UserRefreshToken"] = "ghr_x", ["GitHub:AppClientId"] = "Iv1.x",
                ["GitHub:AppClientSecret"] = "s", ["GitHub:UserTokenStorePath"] = "/tmp/x.json",
            };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddGitHubClient(allowAnonymous: borrow, mayOwnRefreshToken: !borrow);
        if (borrow)
        {
            services.AddGitHubUserTokenSource<NoSource>();
        }
        using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(
            () => provider.GetRequiredService<IOptions<GitHubClientOptions>>().Value);

        Assert.Contains("StarSync:SecretKey (environment variable StarSync__SecretKey) is required with GitHub:UserRefreshToken", e.Message, StringComparison.Ordinal);
        Assert.Contains("openssl rand -base64 32", e.Message, StringComparison.Ordinal);
    }

    private sealed class NoSource : IGitHubUserTokenSource
    {
        public Task<GitHubAccessToken> GetUserTokenAsync(string? rejectedToken, CancellationToken ct) => throw new NotSupportedException();
    }
}
