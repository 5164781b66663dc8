namespace StarSync.Ingress.Admin;

/// <summary>Outcome of <see cref="AdminToken.Verify"/>. Only the log tells them apart; every caller gets the same 401.</summary>
internal enum AdminTokenResult
{
    Valid,
    /// <summary>No admin token is configured: the admin API is disabled.</summary>
    Disabled,
    Missing,
    /// <summary>Not exactly one <c>Authorization: Bearer &lt;token&gt;</c> header.</summary>
    Malformed,
    Mismatch,
}
