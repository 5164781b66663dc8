using System.Buffers;
using System.Security.Cryptography;
using System.Text;

using Microsoft.Extensions.Primitives;

namespace StarSync.Ingress;

/// <summary>
/// GitHub's <c>X-Hub-Signature-256</c>: <c>sha256=</c> followed by the hex HMAC-SHA256 of the raw request body,
/// keyed with the webhook secret. Pure and allocation-light, compared in constant time.
/// </summary>
internal static class GitHubSignature
{
    public const string HeaderName = "X-Hub-Signature-256";
    public const string Prefix = "sha256=";

    private const int HashBytes = 32;

    /// <summary>Checks the header as received: absent, empty, repeated or otherwise malformed headers never pass.</summary>
    public static GitHubSignatureResult Verify(StringValues header, ReadOnlySpan<byte> body, string secret) => header.Count switch
    {
        0 => GitHubSignatureResult.Missing,
        1 => Verify(header[0], body, secret),
        _ => GitHubSignatureResult.Malformed,
    };

    public static GitHubSignatureResult Verify(string? header, ReadOnlySpan<byte> body, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        if (string.IsNullOrEmpty(header))
        {
            return GitHubSignatureResult.Missing;
        }
        if (!header.StartsWith(Prefix, StringComparison.Ordinal) || header.Length != Prefix.Length + (2 * HashBytes))
        {
            return GitHubSignatureResult.Malformed;
        }
        Span<byte> provided = stackalloc byte[HashBytes];
        var status = Convert.FromHexString(header.AsSpan(Prefix.Length), provided, out _, out var written);
        if (status != OperationStatus.Done || written != HashBytes)
        {
            return GitHubSignatureResult.Malformed;
        }
        Span<byte> expected = stackalloc byte[HashBytes];
        ComputeHash(body, secret, expected);
        return CryptographicOperations.FixedTimeEquals(expected, provided)
            ? GitHubSignatureResult.Valid
            : GitHubSignatureResult.Mismatch;
    }

    /// <summary>The header value GitHub would send for <paramref name="body"/> (lowercase hex).</summary>
    public static string Compute(ReadOnlySpan<byte> body, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        Span<byte> hash = stackalloc byte[HashBytes];
        ComputeHash(body, secret, hash);
        return Prefix + Convert.ToHexStringLower(hash);
    }

    private static void ComputeHash(ReadOnlySpan<byte> body, string secret, Span<byte> destination)
    {
        var key = Encoding.UTF8.GetBytes(secret);
        try
        {
            HMACSHA256.HashData(key, body, destination);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}
