using Microsoft.Extensions.Primitives;

using StarSync.Ingress.Admin;

namespace StarSync.Ingress.Tests.Admin;

public sealed class AdminTokenTests
{
    private const string Expected = "0123456789abcdef-token";

    [Theory]
    [InlineData("Bearer " + Expected)]
    [InlineData("bearer " + Expected)]
    [InlineData("Bearer  " + Expected + " ")]
    public void RightToken_IsValid(string header) =>
        Assert.Equal(AdminTokenResult.Valid, AdminToken.Verify(header, Expected));

    [Theory]
    [InlineData("Bearer " + Expected + "0")]
    [InlineData("Bearer " + "0123456789abcdef-tokeN")]
    [InlineData("Bearer x")]
    public void OtherToken_IsMismatch(string header) =>
        Assert.Equal(AdminTokenResult.Mismatch, AdminToken.Verify(header, Expected));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void NoHeader_IsMissing(string? header) =>
        Assert.Equal(AdminTokenResult.Missing, AdminToken.Verify(header, Expected));

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearer    ")]
    [InlineData("Basic " + Expected)]
    [InlineData(Expected)]
    [InlineData("Bearer\t" + Expected)]
    [InlineData("Bearer" + Expected)]
    public void WrongShape_IsMalformed(string header) =>
        Assert.Equal(AdminTokenResult.Malformed, AdminToken.Verify(header, Expected));

    [Fact]
    public void HeaderSentTwice_IsMalformed() =>
        Assert.Equal(AdminTokenResult.Malformed,
            AdminToken.Verify(new StringValues(["Bearer " + Expected, "Bearer " + Expected]), Expected));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void NoConfiguredToken_IsDisabledWhateverIsSent(string? configured)
    {
        Assert.Equal(AdminTokenResult.Disabled, AdminToken.Verify("Bearer " + Expected, configured));
        Assert.Equal(AdminTokenResult.Disabled, AdminToken.Verify("Bearer ", configured));
        Assert.Equal(AdminTokenResult.Disabled, AdminToken.Verify(StringValues.Empty, configured));
    }
}
