using StarSync.Secrets;

namespace StarSync.GitHub;

/// <summary>
/// How a user access token travels on the bus between its owner (the Orchestrator) and a process that borrows it: sealed with
/// AES-GCM under a key derived from <c>StarSync:SecretKey</c> for this purpose, and bound to the request's id, so that
/// the message holds no token in plain text and a sealed token answers only the request it was made for. A token GitHub
/// rejected travels as its keyed fingerprint only.
/// </summary>
public static class GitHubUserTokenEnvelope
{
    public const string Purpose = "GitHub user token message";

    /// <summary>Why <c>StarSync:SecretKey</c> is needed, for <see cref="StarSyncSecrets.Require"/>.</summary>
    public const string NeededFor = "to pass GitHub user tokens over RabbitMQ (GitHub:UserTokenFromOwner, and the Orchestrator that answers it)";

    public static SecretBox Box(StarSyncSecrets secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        return secrets.Require(Purpose, NeededFor);
    }

    public static byte[] Seal(SecretBox box, Guid requestId, string token)
    {
        ArgumentNullException.ThrowIfNull(box);
        return box.SealString(token, AssociatedData(requestId));
    }

    /// <summary>The token; throws <see cref="SecretBoxException"/> when it was sealed with another key or for another request.</summary>
    public static string Open(SecretBox box, Guid requestId, byte[] sealedToken)
    {
        ArgumentNullException.ThrowIfNull(box);
        return box.OpenString(sealedToken, AssociatedData(requestId));
    }

    public static string Fingerprint(SecretBox box, string token)
    {
        ArgumentNullException.ThrowIfNull(box);
        return box.Fingerprint(token);
    }

    private static string AssociatedData(Guid requestId) => "starsync github-user-token-message v1 " + requestId.ToString("N");
}
