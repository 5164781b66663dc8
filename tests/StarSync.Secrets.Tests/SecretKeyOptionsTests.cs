using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace StarSync.Secrets.Tests;

public sealed class SecretKeyOptionsTests
{
    [Fact]
    public void Unset_IsValid_AndRequireNamesTheSettingAndHowToMakeOne()
    {
        var secrets = Start(null);

        Assert.False(secrets.HasKey);
        var e = Assert.Throws<InvalidOperationException>(() => secrets.Require("store", "with GitHub:UserRefreshToken (it encrypts the rotated pair)"));
        Assert.Equal(
            "StarSync:SecretKey (environment variable StarSync__SecretKey) is required with GitHub:UserRefreshToken (it encrypts the rotated pair): "
            + "32 random bytes in base64, e.g. the output of `openssl rand -base64 32`.", e.Message);
    }

    [Fact]
    public void ValidKey_IsAccepted()
    {
        var secrets = Start(TestKeys.NewKey());

        Assert.True(secrets.HasKey);
        Assert.Equal("x", secrets.Require("p", "for x").OpenString(secrets.Require("p", "for x").SealString("x", ""), ""));
    }

    [Theory]
    [InlineData("not base64 at all!", "the value is not base64")]
    [InlineData("c2hvcnQ=", "the value decodes to 5 bytes, not 32")]
    public void MalformedKey_FailsTheStartWithAClearErrorWithoutTheValue(string key, string problem)
    {
        var e = Assert.Throws<OptionsValidationException>(() => Start(key));

        Assert.Contains(
            $"StarSync:SecretKey (environment variable StarSync__SecretKey) must be 32 random bytes in base64, e.g. the output of `openssl rand -base64 32`; {problem}.",
            e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SixtyFourByteKey_IsRefused()
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));

        var options = new SecretKeyOptions { SecretKey = key };
        var results = new List<ValidationResult>();
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), results, true));

        Assert.Contains("decodes to 64 bytes", Assert.Single(results).ErrorMessage, StringComparison.Ordinal);
    }

    private static StarSyncSecrets Start(string? key)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["StarSync:SecretKey"] = key }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddStarSyncSecrets().AddStarSyncSecrets();
        using var provider = services.BuildServiceProvider();
        // What ValidateOnStart does when the host starts.
        _ = provider.GetRequiredService<IOptions<SecretKeyOptions>>().Value;
        return provider.GetRequiredService<StarSyncSecrets>();
    }
}
