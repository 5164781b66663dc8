using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace StarSync.GitHub;

/// <summary>
/// The JWT a GitHub App signs to ask for installation tokens: header <c>{"alg":"RS256","typ":"JWT"}</c>, claims
/// <c>iat</c> = now - 60 s (clock drift), <c>exp</c> = now + 9 min (GitHub allows at most 10), <c>iss</c> = App id.
/// </summary>
internal static class GitHubAppJwt
{
    public static readonly TimeSpan IssuedAtSkew = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(9);

    private static readonly string Header = Base64Url.EncodeToString("""{"alg":"RS256","typ":"JWT"}"""u8);

    public static string Create(string appId, RSA privateKey, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(appId);
        ArgumentNullException.ThrowIfNull(privateKey);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("iat", (now - IssuedAtSkew).ToUnixTimeSeconds());
            writer.WriteNumber("exp", (now + Lifetime).ToUnixTimeSeconds());
            // A numeric App id is written as a number; a client id ("Iv1...") as a string. GitHub accepts both.
            if (long.TryParse(appId, NumberStyles.None, CultureInfo.InvariantCulture, out var numeric))
            {
                writer.WriteNumber("iss", numeric);
            }
            else
            {
                writer.WriteString("iss", appId);
            }

            writer.WriteEndObject();
        }

        var signingInput = Header + "." + Base64Url.EncodeToString(buffer.ToArray());
        var signature = privateKey.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }
}
