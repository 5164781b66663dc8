using StarSync.GitWorker.Git;

namespace StarSync.GitWorker.Mirroring;

/// <summary>A server's repository URL and the credentials git sends to it (as environment-only headers, never in the URL).</summary>
internal sealed record GitRemote(string Url, IReadOnlyList<GitCredential> Credentials);
