namespace StarSync.GitHub;

/// <summary>A bounded least-recently-used map from request key to (ETag, parsed answer), shared by all clients.</summary>
internal sealed class ETagCache(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, string ETag, object Value)>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, string ETag, object Value)> _order = new();

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

    public bool TryGet<T>(string key, out string etag, out T value)
        where T : class
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var node) && node.Value.Value is T typed)
            {
                _order.Remove(node);
                _order.AddFirst(node);
                etag = node.Value.ETag;
                value = typed;
                return true;
            }
        }

        etag = string.Empty;
        value = null!;
        return false;
    }

    public void Set(string key, string etag, object value)
    {
        if (capacity <= 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_entries.Remove(key, out var old))
            {
                _order.Remove(old);
            }

            _entries[key] = _order.AddFirst((key, etag, value));
            while (_entries.Count > capacity && _order.Last is { } last)
            {
                _order.RemoveLast();
                _entries.Remove(last.Value.Key);
            }
        }
    }

    public void Remove(string key)
    {
        lock (_gate)
        {
            if (_entries.Remove(key, out var node))
            {
                _order.Remove(node);
            }
        }
    }
}
