using Microsoft.Extensions.Options;

namespace StarSync.Secrets;

/// <summary>
/// The validated <c>StarSync:SecretKey</c>, handing out a <see cref="SecretBox"/> per purpose (register with
/// <see cref="SecretsServiceCollectionExtensions.AddStarSyncSecrets"/>). The key is optional until a feature needs it.
/// </summary>
public sealed class StarSyncSecrets
{
    private readonly byte[]? _key;

    public StarSyncSecrets(IOptions<SecretKeyOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var text = options.Value.SecretKey;
        if (!string.IsNullOrWhiteSpace(text))
        {
            _key = ParseKey(text, out var problem)
                ?? throw new OptionsValidationException(SecretKeyOptions.Section, typeof(SecretKeyOptions),
                    [$"{SecretKeyOptions.Setting} must be {SecretKeyOptions.Shape}; {problem}."]);
        }
    }

    /// <summary>Whether <c>StarSync:SecretKey</c> is set.</summary>
    public bool HasKey => _key is not null;

    /// <summary>A box for <paramref name="purpose"/>; throws with a message naming the setting when the key is not set.</summary>
    /// <param name="purpose">What the sealed data is, e.g. "GitHub user token store"; keys differ per purpose.</param>
    /// <param name="neededFor">Why the key is needed, for the error message, e.g. "with GitHub:UserRefreshToken".</param>
    public SecretBox Require(string purpose, string neededFor) =>
        _key is null
            ? throw new InvalidOperationException(MissingKeyMessage(neededFor))
            : new SecretBox(_key, purpose);

    /// <summary>The error when the key is needed but not set.</summary>
    public static string MissingKeyMessage(string neededFor) =>
        $"{SecretKeyOptions.Setting} is required {neededFor}: {SecretKeyOptions.Shape}.";

    /// <summary>The 32 key bytes of base64 text, or null with what is wrong (never the value itself).</summary>
    internal static byte[]? ParseKey(string text, out string? problem)
    {
        var buffer = new byte[(text.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(text.Trim(), buffer, out var length))
        {
            problem = "the value is not base64";
            return null;
        }

        if (length != 32)
        {
            problem = $"the value decodes to {length} bytes, not 32";
            return null;
        }

        problem = null;
        return buffer[..32];
    }
}
