using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace StarSync.GitHub.Tests;

public sealed class GitHubAppJwtTests
{
    [Fact]
    public void Create_NumericAppId_SignedRs256WithGitHubClaims()
    {
        using var key = RSA.Create(2048);
        var now = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

        var jwt = GitHubAppJwt.Create("4242", key, now);

        var parts = jwt.Split('.');
        Assert.Equal(3, parts.Length);
        using var publicKey = RSA.Create();
        publicKey.ImportParameters(key.ExportParameters(includePrivateParameters: false));
        Assert.True(publicKey.VerifyData(
            Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
        Assert.Equal("RS256", header.RootElement.GetProperty("alg").GetString());
        Assert.Equal("JWT", header.RootElement.GetProperty("typ").GetString());
        using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
        Assert.Equal(now.AddSeconds(-60).ToUnixTimeSeconds(), claims.RootElement.GetProperty("iat").GetInt64());
        Assert.Equal(now.AddMinutes(9).ToUnixTimeSeconds(), claims.RootElement.GetProperty("exp").GetInt64());
        Assert.Equal(4242, claims.RootElement.GetProperty("iss").GetInt64());
    }

    [Fact]
    public void Create_ClientIdIssuer_WrittenAsString()
    {
        using var key = RSA.Create(2048);

        var jwt = GitHubAppJwt.Create("Iv1.abc", key, DateTimeOffset.UnixEpoch.AddYears(60));

        using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(jwt.Split('.')[1]));
        Assert.Equal("Iv1.abc", claims.RootElement.GetProperty("iss").GetString());
    }

    [Fact]
    public void Create_OtherKey_SignatureDoesNotVerify()
    {
        using var key = RSA.Create(2048);
        using var other = RSA.Create(2048);

        var parts = GitHubAppJwt.Create("1", key, DateTimeOffset.UnixEpoch.AddYears(60)).Split('.');

        Assert.False(other.VerifyData(
            Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }
}
