using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;

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
}
