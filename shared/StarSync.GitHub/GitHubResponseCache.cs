using Octokit.Caching;
using Octokit.Internal;

namespace StarSync.GitHub;

/// <summary>
/// The answers Octokit may answer again after a 304 (<see cref="IResponseCache"/>): a bounded least-recently-used map,
/// shared by all clients of a service provider. The key is the credential, the method, the <c>Accept</c> header and the
/// full URL: one URL has a representation per media type (<c>star+json</c> and plain JSON of <c>/user/starred</c>), and
/// their ETags differ. Only answers with an ETag are kept (no other can be asked for conditionally).
/// </summary>
internal sealed class GitHubResponseCache(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, CachedResponse.V1 Response)>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, CachedResponse.V1 Response)> _order = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The cache as seen by calls with one credential (null when the cache is off).</summary>
    public IResponseCache? For(string credential) => capacity <= 0 ? null : new Partition(this, credential);

    private CachedResponse.V1? Get(string key)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var node))
            {
                return null;
            }

            _order.Remove(node);
            _order.AddFirst(node);
            return node.Value.Response;
        }
    }

    private void Set(string key, CachedResponse.V1 response)
    {
        if (string.IsNullOrEmpty(response.ApiInfo?.Etag))
        {
            return;
        }

        lock (_gate)
        {
            if (_entries.Remove(key, out var old))
            {
                _order.Remove(old);
            }

            _entries[key] = _order.AddFirst((key, response));
            while (_entries.Count > capacity && _order.Last is { } last)
            {
                _order.RemoveLast();
                _entries.Remove(last.Value.Key);
            }
        }
    }

    private sealed class Partition(GitHubResponseCache cache, string credential) : IResponseCache
    {
        public Task<CachedResponse.V1> GetAsync(IRequest request) => Task.FromResult(cache.Get(Key(request))!);

        public Task SetAsync(IRequest request, CachedResponse.V1 cachedResponse)
        {
            cache.Set(Key(request), cachedResponse);
            return Task.CompletedTask;
        }

        private string Key(IRequest request)
        {
            var accept = request.Headers.TryGetValue("Accept", out var value) ? value : string.Empty;
            var url = request.Endpoint.IsAbsoluteUri ? request.Endpoint : new Uri(request.BaseAddress, request.Endpoint);
            return string.Join('\n', credential, request.Method.Method, accept, url.AbsoluteUri);
        }
    }
}
