using StarSync.GitWorker.Git;

namespace StarSync.GitWorker.Tests;

public sealed class SecretRedactorTests
{
    [Fact]
    public void ConfiguredSecret_IsRemovedEverywhere()
    {
        var redactor = new SecretRedactor(["s3cr3t-token", null, ""]);

        var text = redactor.Redact("fatal: s3cr3t-token rejected; again s3cr3t-token");

        Assert.Equal("fatal: *** rejected; again ***", text);
    }

    [Fact]
    public void UrlEncodedSecret_IsRemoved()
    {
        var redactor = new SecretRedactor(["a/b+c=d"]);

        Assert.Equal("token=***", redactor.Redact("token=a%2Fb%2Bc%3Dd"));
    }

    [Fact]
    public void LongerSecretContainingShorterOne_IsRemovedWhole()
    {
        var redactor = new SecretRedactor(["abcd", "xxabcdyy"]);

        Assert.Equal("*** and ***", redactor.Redact("xxabcdyy and abcd"));
    }

    [Theory]
    [InlineData("> Authorization: Basic eC1hY2Nlc3MtdG9rZW46Z2hz", "> Authorization: ***")]
    [InlineData("authorization:Bearer abc\nnext line", "authorization:***\nnext line")]
    [InlineData("Proxy-Authorization: Basic Zm9v", "Proxy-Authorization: ***")]
    public void AuthorizationHeaderValue_IsRemoved(string input, string expected)
    {
        Assert.Equal(expected, new SecretRedactor([]).Redact(input));
    }

    [Theory]
    [InlineData("fatal: unable to access 'https://x-access-token:ghs_abc@github.com/o/r.git/'", "fatal: unable to access 'https://***@github.com/o/r.git/'")]
    [InlineData("remote http://user:pw@onedev:6610/p.git", "remote http://***@onedev:6610/p.git")]
    [InlineData("no credentials in https://github.com/o/r.git", "no credentials in https://github.com/o/r.git")]
    public void UserInfoInUrls_IsRemoved(string input, string expected)
    {
        Assert.Equal(expected, new SecretRedactor([]).Redact(input));
    }

    [Fact]
    public void Null_BecomesEmpty()
    {
        Assert.Equal("", new SecretRedactor(["x"]).Redact(null));
    }
}
