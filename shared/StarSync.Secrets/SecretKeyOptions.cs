using System.ComponentModel.DataAnnotations;

namespace StarSync.Secrets;

/// <summary>
/// The key StarSync encrypts credentials with (section <c>StarSync</c>): 32 random bytes in base64, from the
/// environment (<c>StarSync__SecretKey</c>), never from a committed file. Optional here; a feature that needs it says so
/// at start through <see cref="StarSyncSecrets.Require"/>. The value never appears in an error message.
/// </summary>
public sealed class SecretKeyOptions : IValidatableObject
{
    public const string Section = "StarSync";

    /// <summary>Base64 of 32 random bytes, e.g. the output of <c>openssl rand -base64 32</c>.</summary>
    public string? SecretKey { get; set; }

    internal const string Setting = "StarSync:SecretKey (environment variable StarSync__SecretKey)";

    internal const string Shape = "32 random bytes in base64, e.g. the output of `openssl rand -base64 32`";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(SecretKey) && StarSyncSecrets.ParseKey(SecretKey, out var problem) is null)
        {
            yield return new ValidationResult($"{Setting} must be {Shape}; {problem}.", [nameof(SecretKey)]);
        }
    }
}
