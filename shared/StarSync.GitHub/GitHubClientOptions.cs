using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;

namespace StarSync.GitHub;

/// <summary>
/// Where GitHub is and how StarSync authenticates (section <c>GitHub</c>). Valid combinations:
/// <list type="number">
/// <item><see cref="Token"/> alone: a personal access token used for everything.</item>
/// <item>A GitHub App: <see cref="AppId"/> + <see cref="AppPrivateKey"/> + <see cref="InstallationId"/> (repository and
/// git reads through installation tokens), usually with <see cref="UserAccessToken"/> for <c>/user/starred</c>; add
/// <see cref="UserRefreshToken"/> + <see cref="AppClientId"/> + <see cref="AppClientSecret"/> to refresh it.</item>
/// <item><see cref="UserAccessToken"/> alone (optionally with its refresh settings): used for everything.</item>
/// <item><see cref="UserTokenFromOwner"/> alone (the GitWorker): user access tokens borrowed from the refresh token's
/// owner over RabbitMQ.</item>
/// </list>
/// A refresh token is single-use: exactly one process (the Orchestrator) owns it, keeps each rotated pair in
/// <see cref="UserTokenStorePath"/> encrypted with <c>StarSync:SecretKey</c>, and no other process is given it.
/// Secrets come from the environment (<c>GitHub__Token</c>, <c>GitHub__AppPrivateKey</c>, ...), never from a committed file.
/// </summary>
public sealed class GitHubClientOptions : IValidatableObject
{
    public const string Section = "GitHub";

    /// <summary>REST root, e.g. <c>https://api.github.com/</c> or <c>https://ghes.example.com/api/v3/</c>.</summary>
    [Required(ErrorMessage = "GitHub:ApiUrl is required: GitHub's REST root, e.g. https://api.github.com/.")]
    [Url(ErrorMessage = "GitHub:ApiUrl must be an absolute http(s) URL.")]
    public string ApiUrl { get; set; } = "https://api.github.com/";

    /// <summary>Web root, used for OAuth token refresh at its host's <c>/login/oauth/access_token</c> (a path is ignored, as Octokit does).</summary>
    [Required(ErrorMessage = "GitHub:WebUrl is required: GitHub's web root, e.g. https://github.com/.")]
    [Url(ErrorMessage = "GitHub:WebUrl must be an absolute http(s) URL.")]
    public string WebUrl { get; set; } = "https://github.com/";

    /// <summary>A personal access token (classic or fine-grained with "Starring: read" and "Contents: read").</summary>
    public string? Token { get; set; }

    /// <summary>The GitHub App's id (or client id); the JWT's <c>iss</c>.</summary>
    public string? AppId { get; set; }

    /// <summary>The App's private key, PEM text (<c>-----BEGIN RSA PRIVATE KEY-----</c> or PKCS#8).</summary>
    public string? AppPrivateKey { get; set; }

    /// <summary>The installation whose tokens read repositories and git.</summary>
    public long? InstallationId { get; set; }

    /// <summary>A user access token (<c>ghu_...</c>) of the user whose stars are mirrored.</summary>
    public string? UserAccessToken { get; set; }

    /// <summary>When <see cref="UserAccessToken"/> expires, if known; otherwise it is refreshed when GitHub answers 401.</summary>
    public DateTimeOffset? UserAccessTokenExpiresAt { get; set; }

    /// <summary>The refresh token (<c>ghr_...</c>) issued with <see cref="UserAccessToken"/>.</summary>
    public string? UserRefreshToken { get; set; }

    /// <summary>
    /// The file where the owner of <see cref="UserRefreshToken"/> keeps each rotated token pair, encrypted with
    /// <c>StarSync:SecretKey</c> (required with <see cref="UserRefreshToken"/>). It must survive restarts (a volume), and
    /// owner replicas must share it: they lock <c>&lt;path&gt;.lock</c> around each refresh.
    /// </summary>
    public string? UserTokenStorePath { get; set; }

    /// <summary>
    /// Borrow user access tokens from the owner of the refresh token (the Orchestrator) over RabbitMQ, encrypted with
    /// <c>StarSync:SecretKey</c>, instead of holding a user credential (only where the host supports it: the GitWorker).
    /// </summary>
    public bool UserTokenFromOwner { get; set; }

    /// <summary>The App's OAuth client id, needed to refresh the user access token.</summary>
    public string? AppClientId { get; set; }

    /// <summary>The App's OAuth client secret, needed to refresh the user access token.</summary>
    public string? AppClientSecret { get; set; }

    /// <summary>Timeout of one REST call.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    [Required(ErrorMessage = "GitHub:UserAgent is required: GitHub rejects requests without a User-Agent.")]
    public string UserAgent { get; set; } = "StarSync";

    /// <summary>
    /// How many answers with an ETag Octokit's response cache keeps for conditional requests (a 304 answers from it and
    /// costs no rate limit); 0 turns the cache off.
    /// </summary>
    [Range(0, 100_000)]
    public int ETagCacheSize { get; set; } = 1000;

    /// <summary>
    /// Set by <see cref="GitHubServiceCollectionExtensions.AddGitHubClient"/> for a process that may work without any
    /// credential (the GitWorker, for public repositories): repository reads are then sent anonymously.
    /// </summary>
    internal bool AllowAnonymous { get; set; }

    /// <summary>False where the process must never hold the single-use refresh token (set by <see cref="GitHubServiceCollectionExtensions.AddGitHubClient"/>).</summary>
    internal bool MayOwnRefreshToken { get; set; } = true;

    /// <summary>True where the host registered an <see cref="IGitHubUserTokenSource"/> (set by <see cref="GitHubServiceCollectionExtensions.AddGitHubUserTokenSource{TSource}"/>).</summary>
    internal bool CanBorrowUserToken { get; set; }

    /// <summary>Why <c>StarSync:SecretKey</c> is needed by the owner of a refresh token.</summary>
    internal const string SecretKeyNeededFor = "with GitHub:UserRefreshToken (it encrypts the rotated token pair in GitHub:UserTokenStorePath)";

    /// <summary>Whether <c>StarSync:SecretKey</c> must be set.</summary>
    internal bool NeedsSecretKey => UserTokenFromOwner || (MayOwnRefreshToken && !string.IsNullOrWhiteSpace(UserRefreshToken));

    internal bool IsAnonymous => !HasPersonalAccessToken && !HasApp && !HasUserAccessToken && !UserTokenFromOwner;

    internal bool HasPersonalAccessToken => !string.IsNullOrWhiteSpace(Token);

    internal bool HasApp => !string.IsNullOrWhiteSpace(AppId) || !string.IsNullOrWhiteSpace(AppPrivateKey) || InstallationId is not null;

    internal bool HasUserAccessToken => !string.IsNullOrWhiteSpace(UserAccessToken);

    internal bool CanRefreshUserToken =>
        !string.IsNullOrWhiteSpace(UserRefreshToken) && !string.IsNullOrWhiteSpace(AppClientId) && !string.IsNullOrWhiteSpace(AppClientSecret);

    private const string Combinations =
        " Valid combinations: (1) GitHub:Token alone (a personal access token); (2) GitHub:AppId + GitHub:AppPrivateKey + GitHub:InstallationId"
        + " (a GitHub App), usually with GitHub:UserAccessToken for the starred list; (3) GitHub:UserAccessToken alone."
        + " To refresh a user access token add GitHub:UserRefreshToken + GitHub:AppClientId + GitHub:AppClientSecret + GitHub:UserTokenStorePath"
        + " (in the Orchestrator only).";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!MayOwnRefreshToken && !string.IsNullOrWhiteSpace(UserRefreshToken))
        {
            yield return new ValidationResult(
                "GitHub:UserRefreshToken must not be given to this service: a refresh token works once, so exactly one process"
                + " (the Orchestrator) owns it. Give this service GitHub:Token, the GitHub App's installation (GitHub:AppId,"
                + " GitHub:AppPrivateKey, GitHub:InstallationId), or GitHub:UserTokenFromOwner=true to borrow user access tokens from the Orchestrator.",
                [nameof(UserRefreshToken)]);
            yield break;
        }

        if (UserTokenFromOwner)
        {
            if (!CanBorrowUserToken)
            {
                yield return new ValidationResult(
                    "GitHub:UserTokenFromOwner is not supported by this service: the Orchestrator owns the user token, only the GitWorker borrows it.",
                    [nameof(UserTokenFromOwner)]);
            }
            else if (HasPersonalAccessToken || HasApp || HasUserAccessToken || !string.IsNullOrWhiteSpace(AppClientSecret))
            {
                yield return new ValidationResult(
                    "GitHub:UserTokenFromOwner is for a service without a GitHub credential of its own: remove it, or remove"
                    + " GitHub:Token, the GitHub App settings and GitHub:UserAccessToken/AppClientSecret.",
                    [nameof(UserTokenFromOwner)]);
            }

            yield break;
        }

        if (HasPersonalAccessToken && (HasApp || HasUserAccessToken))
        {
            yield return new ValidationResult("GitHub:Token cannot be combined with GitHub App settings or GitHub:UserAccessToken." + Combinations, [nameof(Token)]);
            yield break;
        }

        if (IsAnonymous)
        {
            if (AllowAnonymous)
            {
                yield break;
            }

            yield return new ValidationResult("No GitHub credentials are configured." + Combinations, [nameof(Token)]);
            yield break;
        }

        if (HasApp)
        {
            if (string.IsNullOrWhiteSpace(AppId))
            {
                yield return new ValidationResult("GitHub:AppId is required with the other GitHub App settings." + Combinations, [nameof(AppId)]);
            }

            if (string.IsNullOrWhiteSpace(AppPrivateKey))
            {
                yield return new ValidationResult("GitHub:AppPrivateKey (environment variable GitHub__AppPrivateKey) is required with the other GitHub App settings." + Combinations, [nameof(AppPrivateKey)]);
            }
            else if (!IsRsaPrivateKey(AppPrivateKey))
            {
                // Never echo the value.
                yield return new ValidationResult("GitHub:AppPrivateKey is not an RSA private key in PEM form (-----BEGIN RSA PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----).", [nameof(AppPrivateKey)]);
            }

            if (InstallationId is null or <= 0)
            {
                yield return new ValidationResult("GitHub:InstallationId must be the positive id of the App's installation." + Combinations, [nameof(InstallationId)]);
            }
        }

        var anyRefresh = !string.IsNullOrWhiteSpace(UserRefreshToken) || !string.IsNullOrWhiteSpace(AppClientId) || !string.IsNullOrWhiteSpace(AppClientSecret);
        if (!string.IsNullOrWhiteSpace(UserRefreshToken) && !HasUserAccessToken)
        {
            yield return new ValidationResult("GitHub:UserRefreshToken needs GitHub:UserAccessToken." + Combinations, [nameof(UserRefreshToken)]);
        }

        if (!string.IsNullOrWhiteSpace(UserRefreshToken) && !CanRefreshUserToken)
        {
            yield return new ValidationResult("GitHub:UserRefreshToken needs GitHub:AppClientId and GitHub:AppClientSecret to refresh the user access token.", [nameof(UserRefreshToken)]);
        }
        else if (CanRefreshUserToken && string.IsNullOrWhiteSpace(UserTokenStorePath))
        {
            yield return new ValidationResult(
                "GitHub:UserRefreshToken needs GitHub:UserTokenStorePath: GitHub invalidates a refresh token when it is used, so each new"
                + " pair is kept there (encrypted with StarSync:SecretKey) for restarts and other replicas, e.g. /var/lib/starsync/ingress/github-user-token.json.",
                [nameof(UserTokenStorePath)]);
        }
        else if (anyRefresh && string.IsNullOrWhiteSpace(UserRefreshToken) && !HasApp)
        {
            yield return new ValidationResult("GitHub:AppClientId/AppClientSecret are only used with GitHub:UserRefreshToken." + Combinations, [nameof(AppClientId)]);
        }
    }

    internal static string NormalizePem(string pem) =>
        pem.Contains('\n', StringComparison.Ordinal) ? pem : pem.Replace("\\n", "\n", StringComparison.Ordinal);

    private static bool IsRsaPrivateKey(string pem)
    {
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(NormalizePem(pem));
            _ = rsa.ExportParameters(includePrivateParameters: true);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return false;
        }
    }
}
