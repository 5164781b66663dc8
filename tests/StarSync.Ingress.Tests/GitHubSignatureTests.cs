using System.Text;

using Microsoft.Extensions.Primitives;

namespace StarSync.Ingress.Tests;

public sealed class GitHubSignatureTests
{
    // GitHub's published example (docs: "Validating webhook deliveries").
    private const string Secret = "It's a Secret to Everybody";
    private const string Expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("Hello, World!");

    [Fact]
    public void PublishedVector_ComputesGitHubsHeader() =>
        Assert.Equal(Expected, GitHubSignature.Compute(Body, Secret));

    [Fact]
    public void PublishedVector_IsValid() =>
        Assert.Equal(GitHubSignatureResult.Valid, GitHubSignature.Verify(Expected, Body, Secret));

    [Fact]
    public void UppercaseHex_IsValid() =>
        Assert.Equal(GitHubSignatureResult.Valid,
            GitHubSignature.Verify("sha256=" + Expected["sha256=".Length..].ToUpperInvariant(), Body, Secret));

    [Fact]
    public void TamperedBody_ReturnsMismatch() =>
        Assert.Equal(GitHubSignatureResult.Mismatch,
            GitHubSignature.Verify(Expected, Encoding.UTF8.GetBytes("Hello, World?"), Secret));

    [Fact]
    public void WrongSecret_ReturnsMismatch() =>
        Assert.Equal(GitHubSignatureResult.Mismatch, GitHubSignature.Verify(Expected, Body, "another secret"));

    [Fact]
    public void EmptyBody_IsSignedLikeAnyOther()
    {
        var header = GitHubSignature.Compute([], Secret);
        Assert.Equal(GitHubSignatureResult.Valid, GitHubSignature.Verify(header, [], Secret));
        Assert.Equal(GitHubSignatureResult.Mismatch, GitHubSignature.Verify(Expected, [], Secret));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void NoHeader_ReturnsMissing(string? header) =>
        Assert.Equal(GitHubSignatureResult.Missing, GitHubSignature.Verify(header, Body, Secret));

    [Fact]
    public void AbsentHeaderValues_ReturnsMissing() =>
        Assert.Equal(GitHubSignatureResult.Missing, GitHubSignature.Verify(StringValues.Empty, Body, Secret));

    [Theory]
    [InlineData("sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    [InlineData("SHA256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    [InlineData("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    [InlineData(" sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17 ")]
    public void WrongPrefixOrPadding_ReturnsMalformed(string header) =>
        Assert.Equal(GitHubSignatureResult.Malformed, GitHubSignature.Verify(header, Body, Secret));

    [Theory]
    [InlineData("sha256=")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17a")]
    [InlineData("sha256=-57107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1z")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    public void OddOrNonHexDigest_ReturnsMalformed(string header) =>
        Assert.Equal(GitHubSignatureResult.Malformed, GitHubSignature.Verify(header, Body, Secret));

    [Fact]
    public void HeaderSentTwice_ReturnsMalformed() =>
        Assert.Equal(GitHubSignatureResult.Malformed,
            GitHubSignature.Verify(new StringValues([Expected, Expected]), Body, Secret));
}
