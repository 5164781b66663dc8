using System.Security.Cryptography;
using System.Text;

namespace StarSync.Contracts;

/// <summary>
/// Deterministic mirror ids: a name-based UUID (version 5, SHA-1, RFC 9562 §5.5) of a fixed StarSync namespace
/// and <c>github-repository:&lt;id&gt;</c>. Every delivery, redelivery and retry for one GitHub repository
/// therefore correlates to the same saga, whichever Ingress replica answers it.
/// </summary>
public static class MirrorIds
{
    /// <summary>StarSync's namespace for name-based UUIDs. Never change it: every existing saga is keyed by it.</summary>
    public static readonly Guid Namespace = new("5e76f883-d531-4d77-8773-04ab054558a3");

    public static Guid ForGitHubRepository(long gitHubRepositoryId) =>
        NameBased(Namespace, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"github-repository:{gitHubRepositoryId}"));

    /// <summary>RFC 9562 UUIDv5: SHA-1 over the namespace (network byte order) and the UTF-8 name.</summary>
    public static Guid NameBased(Guid namespaceId, string name)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        namespaceId.TryWriteBytes(input, bigEndian: true, out _);
        nameBytes.CopyTo(input, 16);
        // SHA-1 is what RFC 9562 prescribes for version 5; it is an identifier here, not a security control.
#pragma warning disable CA5350
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // version 5
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // variant 10xx (RFC 9562)
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
