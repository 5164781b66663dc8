using System.Security.Cryptography;
using System.Text;

using Microsoft.Extensions.Primitives;

namespace StarSync.Ingress.Admin;

/// <summary>
/// Checks an <c>Authorization: Bearer &lt;token&gt;</c> header against the configured admin token. Both sides are
/// hashed first and the hashes compared in constant time, so neither the content nor the length of the token
/// shows in the timing.
/// </summary>
internal static class AdminToken
{
    public const string Scheme = "Bearer";

    public static AdminTokenResult Verify(StringValues authorization, string? expected)
    {
        if (string.IsNullOrWhiteSpace(expected))
        {
            return AdminTokenResult.Disabled;
        }
        if (StringValues.IsNullOrEmpty(authorization))
        {
            return AdminTokenResult.Missing;
        }
        if (authorization.Count != 1)
        {
            return AdminTokenResult.Malformed;
        }
        var value = authorization[0].AsSpan();
        if (value.Length <= Scheme.Length || !value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || value[Scheme.Length] != ' ')
        {
            return AdminTokenResult.Malformed;
        }
        var presented = value[(Scheme.Length + 1)..].Trim(' ');
        if (presented.IsEmpty)
        {
            return AdminTokenResult.Malformed;
        }
        return CryptographicOperations.FixedTimeEquals(Hash(presented), Hash(expected))
            ? AdminTokenResult.Valid
            : AdminTokenResult.Mismatch;
    }

    private static byte[] Hash(ReadOnlySpan<char> token)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(token)];
        Encoding.UTF8.GetBytes(token, bytes);
        try
        {
            return SHA256.HashData(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
