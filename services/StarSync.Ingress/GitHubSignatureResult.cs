namespace StarSync.Ingress;

/// <summary>Outcome of checking <c>X-Hub-Signature-256</c>; only <see cref="Valid"/> lets a delivery through.</summary>
internal enum GitHubSignatureResult
{
    Valid,

    /// <summary>No header, or an empty one.</summary>
    Missing,

    /// <summary>Sent more than once, without the <c>sha256=</c> prefix, or not 64 hex digits.</summary>
    Malformed,

    /// <summary>Well formed, but not the HMAC of this body under our secret.</summary>
    Mismatch,
}
