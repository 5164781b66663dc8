using System.Security.Cryptography;
using System.Text;

namespace StarSync.Secrets;

/// <summary>
/// AES-256-GCM with a key of its own, derived from <c>StarSync:SecretKey</c> for one purpose (so a box of one purpose
/// never opens what another sealed). <see cref="Seal"/> gives <c>version (1) ‖ nonce (12) ‖ tag (16) ‖ ciphertext</c>,
/// with a fresh random nonce each time; the associated data (not stored) binds the ciphertext to its context, e.g. a
/// file's role or a request id. Thread-safe.
/// </summary>
public sealed class SecretBox
{
    internal const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + NonceSize + TagSize;

    private readonly byte[] _key;
    private readonly byte[] _fingerprintKey;

    internal SecretBox(byte[] masterKey, string purpose)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(purpose);
        Purpose = purpose;
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, info: Encoding.UTF8.GetBytes("StarSync seal " + purpose));
        _fingerprintKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, info: Encoding.UTF8.GetBytes("StarSync fingerprint " + purpose));
    }

    /// <summary>What the box is for; named in errors.</summary>
    public string Purpose { get; }

    public byte[] Seal(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var result = new byte[HeaderSize + plaintext.Length];
        result[0] = Version;
        var nonce = result.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plaintext, result.AsSpan(HeaderSize), result.AsSpan(1 + NonceSize, TagSize), Associated(associatedData));
        return result;
    }

    /// <summary>The plaintext; throws <see cref="SecretBoxException"/> when the data was sealed with another key, for another purpose or context, or altered.</summary>
    public byte[] Open(ReadOnlySpan<byte> sealedData, ReadOnlySpan<byte> associatedData)
    {
        if (sealedData.Length < HeaderSize || sealedData[0] != Version)
        {
            throw new SecretBoxException($"The {Purpose} is not data sealed by StarSync (unknown format).");
        }

        var plaintext = new byte[sealedData.Length - HeaderSize];
        try
        {
            using var aes = new AesGcm(_key, TagSize);
            aes.Decrypt(sealedData.Slice(1, NonceSize), sealedData[HeaderSize..], sealedData.Slice(1 + NonceSize, TagSize), plaintext,
                Associated(associatedData));
        }
        catch (AuthenticationTagMismatchException e)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            throw new SecretBoxException(
                $"The {Purpose} could not be decrypted: it was encrypted with another {SecretKeyOptions.Setting}, or it was altered.", e);
        }

        return plaintext;
    }

    public byte[] SealString(string plaintext, string associatedData) =>
        Seal(Encoding.UTF8.GetBytes(plaintext), Encoding.UTF8.GetBytes(associatedData));

    public string OpenString(ReadOnlySpan<byte> sealedData, string associatedData) =>
        Encoding.UTF8.GetString(Open(sealedData, Encoding.UTF8.GetBytes(associatedData)));

    /// <summary>
    /// A keyed one-way digest of <paramref name="value"/> (HMAC-SHA256 with a key of this purpose, 128 bits, base64url):
    /// equal values give equal fingerprints, and nobody without the key can test a guess against one.
    /// </summary>
    public string Fingerprint(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var mac = HMACSHA256.HashData(_fingerprintKey, Encoding.UTF8.GetBytes(value));
        return Convert.ToBase64String(mac, 0, 16).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private byte[] Associated(ReadOnlySpan<byte> associatedData)
    {
        // The purpose is part of the associated data too: a box opens only what a box of its own purpose sealed.
        var purpose = Encoding.UTF8.GetBytes(Purpose);
        var all = new byte[2 + purpose.Length + associatedData.Length];
        all[0] = Version;
        all[1] = (byte)Math.Min(purpose.Length, 255);
        purpose.CopyTo(all, 2);
        associatedData.CopyTo(all.AsSpan(2 + purpose.Length));
        return all;
    }
}
