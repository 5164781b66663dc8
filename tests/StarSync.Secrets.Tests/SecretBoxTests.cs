using System.Text;

namespace StarSync.Secrets.Tests;

public sealed class SecretBoxTests
{
    private const string Plain = "ghr_refresh-token-that-must-stay-secret";

    [Fact]
    public void Sealed_OpensToThePlaintext_AndHoldsNoneOfIt()
    {
        var box = TestKeys.Box(TestKeys.NewKey());

        var sealedData = box.SealString(Plain, "context");

        Assert.Equal(Plain, box.OpenString(sealedData, "context"));
        Assert.Equal(SecretBox.Version, sealedData[0]);
        var asText = Encoding.UTF8.GetString(sealedData) + Convert.ToBase64String(sealedData) + Convert.ToHexString(sealedData);
        Assert.DoesNotContain("ghr_", asText, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secret", asText, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void SamePlaintextTwice_GivesDifferentCiphertexts()
    {
        var box = TestKeys.Box(TestKeys.NewKey());

        Assert.NotEqual(box.SealString(Plain, "c"), box.SealString(Plain, "c"));
    }

    [Fact]
    public void OtherKey_ClearErrorWithoutKeyOrPlaintext()
    {
        var key = TestKeys.NewKey();
        var other = TestKeys.NewKey();
        var sealedData = TestKeys.Box(key, "GitHub user token store").SealString(Plain, "c");

        var e = Assert.Throws<SecretBoxException>(() => TestKeys.Box(other, "GitHub user token store").OpenString(sealedData, "c"));

        Assert.Equal(
            "The GitHub user token store could not be decrypted: it was encrypted with another StarSync:SecretKey "
            + "(environment variable StarSync__SecretKey), or it was altered.", e.Message);
        Assert.DoesNotContain(key, e.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(other, e.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Plain, e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void OtherPurposeOrContext_DoesNotOpen()
    {
        var key = TestKeys.NewKey();
        var sealedData = TestKeys.Box(key, "store").SealString(Plain, "request 1");

        Assert.Throws<SecretBoxException>(() => TestKeys.Box(key, "message").OpenString(sealedData, "request 1"));
        Assert.Throws<SecretBoxException>(() => TestKeys.Box(key, "store").OpenString(sealedData, "request 2"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(20)]
    [InlineData(-1)]
    public void AlteredByte_DoesNotOpen(int index)
    {
        var box = TestKeys.Box(TestKeys.NewKey());
        var sealedData = box.SealString(Plain, "c");
        sealedData[index < 0 ? sealedData.Length - 1 : index] ^= 0x01;

        Assert.Throws<SecretBoxException>(() => box.OpenString(sealedData, "c"));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 1, 2, 3 })]
    public void TooShort_IsAnUnknownFormat(byte[] data)
    {
        var e = Assert.Throws<SecretBoxException>(() => TestKeys.Box(TestKeys.NewKey(), "store").Open(data, []));

        Assert.Equal("The store is not data sealed by StarSync (unknown format).", e.Message);
    }

    [Fact]
    public void Fingerprint_EqualForEqualValues_DependsOnKeyAndPurpose_AndRevealsNothing()
    {
        var key = TestKeys.NewKey();
        var box = TestKeys.Box(key, "a");

        var fingerprint = box.Fingerprint(Plain);

        Assert.Equal(fingerprint, box.Fingerprint(Plain));
        Assert.NotEqual(fingerprint, box.Fingerprint(Plain + "x"));
        Assert.NotEqual(fingerprint, TestKeys.Box(key, "b").Fingerprint(Plain));
        Assert.NotEqual(fingerprint, TestKeys.Box(TestKeys.NewKey(), "a").Fingerprint(Plain));
        Assert.Matches("^[A-Za-z0-9_-]{22}$", fingerprint);
        Assert.DoesNotContain("ghr", fingerprint, StringComparison.Ordinal);
    }
}
